"""How ``khabar serve`` runs; part of khabar's settings (``KHABAR_SERVE__*``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = ["ServeOptions"]


class ServeOptions(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)

    host: str = Field("127.0.0.1", description="address to listen on")
    port: int = Field(8000, ge=1, le=65535, description="port to listen on")
    api_key: SecretStr | None = Field(
        None,
        description="the key write requests must send (X-API-Key header); with none set, "
        "every write is refused",
    )
    open_reads: bool = Field(
        True, description="whether reads (API and dashboard) need no key; false closes them"
    )
    page_size: int = Field(50, ge=1, le=500, description="list items per page by default")
    max_body_bytes: int = Field(
        5_000_000, ge=1_000, description="largest request body accepted (a posted article)"
    )
