"""Where attachment bytes live: a folder under instance/, or an S3-compatible bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from flask import current_app

from hotline.core.config import Settings


class Storage(Protocol):
    """Keep and return bytes by key."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...


class FolderStorage:
    """Files in a local folder (the default: instance/attachments)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"bad storage key {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write the file (atomically: a reader never sees half of it)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    def get(self, key: str) -> bytes:
        """Read the file."""
        return self._path(key).read_bytes()


class S3Storage:
    """Objects in an S3-compatible bucket (production; HOTLINE_S3_* variables)."""

    def __init__(self, settings: Settings) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = settings.s3_bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint,
            region_name=settings.s3_region or "us-east-1",
            aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key,
            config=Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3}),
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload the object."""
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        """Download the object."""
        return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()


def storage() -> Storage:
    """Return the app's storage (built once per app and settings)."""
    settings: Settings = current_app.config["HOTLINE"]
    cached = current_app.extensions.get("hotline_storage")
    if cached is not None and cached[0] is settings:
        return cached[1]
    store: Storage
    if settings.s3_bucket:
        store = S3Storage(settings)
    else:
        store = FolderStorage(settings.attachments_dir or settings.instance_path / "attachments")
    current_app.extensions["hotline_storage"] = (settings, store)
    return store
