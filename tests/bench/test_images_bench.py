"""Photo processing: time and peak memory for a 12-megapixel JPEG and a HEIC.

Each file is processed in a fresh Python process so that its peak memory is its own.
`make bench` prints the figures.
"""

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]

MEASURE = textwrap.dedent(
    """
    import sys, time, django
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from nailpro.images import process_image

    def high_water_kb():
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])

    data = open(sys.argv[1], "rb").read()
    before = high_water_kb()
    start = time.perf_counter()
    result = process_image(SimpleUploadedFile(sys.argv[1], data))
    elapsed = time.perf_counter() - start
    peak = high_water_kb()
    print(f"{elapsed:.2f} {before / 1024:.0f} {peak / 1024:.0f} {result.width}x{result.height} "
          f"{len(result.image.read()) / 1024:.0f} {len(result.thumbnail.read()) / 1024:.0f}")
    """
)


def photo(width, height):
    """A busy, photo-like picture (gradients and shapes compress like a real one)."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for index in range(60):
        x, y = (index * 397) % width, (index * 211) % height
        draw.ellipse([x, y, x + width // 8, y + height // 6], fill=(200, 80 + index, 120))
    return image


@pytest.mark.parametrize("kind", ["jpeg-12mp", "heic-12mp"])
def test_processing_time_and_peak_memory(tmp_path, kind):
    image = photo(4000, 3000)
    path = tmp_path / f"{kind}.img"
    if kind.startswith("jpeg"):
        image.save(path, format="JPEG", quality=92)
    else:
        import pillow_heif

        buffer = io.BytesIO()
        pillow_heif.from_pillow(image).save(buffer, quality=80)
        path.write_bytes(buffer.getvalue())
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "nailpro.settings",
            "DJANGO_DEBUG": "1",
            # A fixed key for this throwaway process: it encrypts nothing that is kept.
            "FIELD_ENCRYPTION_KEYS": "dMNAhsnQeufUBRT0Q6DxydUdtqrGnAAwGZvBDNlpufU=",
            "PATH": "/usr/bin:/bin",
        },
    )
    seconds, start_mb, peak_mb, size, image_kb, thumb_kb = result.stdout.split()
    print(
        f"{kind}: {path.stat().st_size / 1024 / 1024:.1f} MB in, processed in {seconds} s, "
        f"peak memory {peak_mb} MB (process at rest {start_mb} MB), out {size} "
        f"{image_kb} kB + thumbnail {thumb_kb} kB"
    )
