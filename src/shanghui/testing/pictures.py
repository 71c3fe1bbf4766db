"""Pictures for tests that care what a picture weighs: ones that compress like photographs
(a flat colour compresses to almost nothing and hides what a real logo or portrait costs)."""

import io
import random

from PIL import Image, ImageFilter


def photo_like(
    seed: int = 0, *, side: int = 600, height: int | None = None, fmt: str = "JPEG"
) -> bytes:
    """A picture that weighs what a photograph does (a 600 px JPEG of ~60 KB): broad colour
    areas under fine grain; ``side`` wide and ``height`` (else ``side``) high. Same ``seed``,
    same bytes."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test pictures
    size = (side, height or side)
    broad = Image.frombytes("RGB", (8, 8), rng.randbytes(8 * 8 * 3))
    broad = broad.resize(size, Image.Resampling.BICUBIC)
    grain = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    grain = grain.filter(ImageFilter.GaussianBlur(1))
    picture = Image.blend(broad, Image.merge("RGB", [grain] * 3), 0.25)
    if fmt == "PNG":  # a cut-out logo: a transparent border around the picture
        mask = Image.new("L", size, 0)
        mask.paste(255, (size[0] // 8, size[1] // 8, size[0] * 7 // 8, size[1] * 7 // 8))
        picture.putalpha(mask)
    out = io.BytesIO()
    picture.save(out, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return out.getvalue()


def noise(seed: int = 0, *, side: int = 600) -> bytes:
    """A JPEG of random pixels, the least compressible picture there is."""
    pixels = random.Random(seed).randbytes(side * side * 3)  # noqa: S311 - repeatable
    picture = Image.frombytes("RGB", (side, side), pixels)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)
    return out.getvalue()
