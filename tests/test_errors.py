import inspect

from khabar import errors


def error_classes():
    return [
        value
        for value in vars(errors).values()
        if inspect.isclass(value) and issubclass(value, errors.KhabarError)
    ]


def test_error_codes_are_unique_and_documented():
    codes = [cls.code for cls in error_classes()]
    assert len(codes) == len(set(codes))
    for cls in error_classes():
        assert cls.__name__ in errors.__doc__
        assert cls.code in errors.__doc__


def test_error_message_carries_its_code():
    assert str(errors.FetchTimeout("timed out")) == "[K111] timed out"


def test_error_tree():
    assert issubclass(errors.FetchTimeout, errors.FetchError)
    assert issubclass(errors.BlockedAddress, errors.IngestError)
    assert issubclass(errors.SchemaTooNew, errors.StoreError)
