"""Small real images for tests that send photos."""

from __future__ import annotations

import base64

# A valid 1x1 JPEG.
_JPEG = (
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////"
    "////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA="
)


def tiny_jpeg(variant: int = 0) -> bytes:
    """A JPEG; `variant` appends bytes after the end so that each image is a distinct file."""
    return base64.b64decode(_JPEG) + bytes([variant % 256]) * (variant > 0)
