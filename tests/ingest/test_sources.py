from khabar.ingest import discover


def test_discover_walks_folders_in_order_and_skips_hidden_and_unknown(write, tmp_path):
    write("b/story.txt", "x")
    write("a/page.html", "x")
    write("a/.hidden.txt", "x")
    write(".git/config.txt", "x")
    write("a/photo.png", "x")
    write("c/dump.warc.gz", "x")
    sources, failures, skipped, _ = discover([str(tmp_path / "in")])
    assert [(s.locator, s.kind) for s in sources] == [
        ("a/page.html", "html"),
        ("b/story.txt", "text"),
        ("c/dump.warc.gz", "warc"),
    ]
    assert sources[0].file == "a/page.html"
    assert failures == []
    assert skipped == ["a/photo.png"]


def test_discover_fails_an_explicit_file_of_unknown_type_and_a_missing_path(write, tmp_path):
    path = write("report.pdf", "x")
    sources, failures, _, _ = discover([str(path), str(tmp_path / "nope"), "ftp://x.example/a"])
    assert sources == []
    assert [(f.code, f.locator) for f in failures] == [
        ("K106", str(path)),
        ("K001", str(tmp_path / "nope")),
        ("K110", "ftp://x.example/a"),
    ]


def test_discover_takes_urls_as_they_are():
    sources, _, _, _ = discover(["https://pamircourier.example/rss"])
    assert sources[0].kind == "url"
    assert sources[0].file is None


def test_discover_does_not_follow_links_out_of_the_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("not an article")
    (folder / "a.txt").write_text("story")
    (folder / "inside-link.txt").symlink_to(folder / "a.txt")
    (folder / "outside-link.txt").symlink_to(outside)
    (folder / "sub" / "up.txt").symlink_to(outside)
    (folder / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "linked-dir").symlink_to(tmp_path, target_is_directory=False)

    found = discover([str(folder)])
    assert [s.locator for s in found.sources] == ["a.txt", "inside-link.txt"]
    assert found.links == ["outside-link.txt", "sub/up.txt"]

    followed = discover([str(folder)], follow_symlinks=True)
    assert [s.locator for s in followed.sources] == [
        "a.txt",
        "inside-link.txt",
        "outside-link.txt",
        "sub/up.txt",
    ]
    assert followed.links == []
