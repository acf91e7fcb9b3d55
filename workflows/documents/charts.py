"""Bar charts drawn with Pillow for the evaluation report.

Pillow rather than matplotlib: a chart costs a few milliseconds instead of
importing matplotlib (about a second) and keeps the report under the 100 ms
render budget.
"""

import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_FILES = (
    "Carlito-Regular.ttf",
    "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    "DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
COLOURS = ((31, 78, 121), (112, 173, 71), (237, 125, 49), (165, 165, 165))
WIDTH, HEIGHT = 1200, 620
LEFT, RIGHT, TOP, BOTTOM = 90, 30, 80, 140


@lru_cache(maxsize=8)
def _font(size: int):
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _thousands(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _nice_top(value: float) -> float:
    """A round axis maximum above `value` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _axes(draw, top_value: float) -> None:
    plot_bottom = HEIGHT - BOTTOM
    for tick in range(6):
        y = plot_bottom - tick * (plot_bottom - TOP) / 5
        draw.line((LEFT, y, WIDTH - RIGHT, y), fill=(225, 225, 225), width=1)
        label = _thousands(top_value * tick / 5)
        draw.text((LEFT - 10, y), label, fill="black", font=_font(20), anchor="rm")
    draw.line((LEFT, TOP, LEFT, plot_bottom), fill="black", width=2)
    draw.line((LEFT, plot_bottom, WIDTH - RIGHT, plot_bottom), fill="black", width=2)


def _legend(draw, names: list[str]) -> None:
    x = LEFT
    for index, name in enumerate(names):
        draw.rectangle((x, 48, x + 22, 66), fill=COLOURS[index % len(COLOURS)])
        draw.text((x + 30, 57), name, fill="black", font=_font(20), anchor="lm")
        x += 60 + int(draw.textlength(name, font=_font(20)))


def bar_chart(title: str, categories: list[str], series: dict[str, list[float]]) -> bytes:
    """Grouped bars, one group per category, one colour per series; PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH / 2, 22), title, fill="black", font=_font(28), anchor="mm")
    top_value = _nice_top(max((max(v, default=0) for v in series.values()), default=0))
    _axes(draw, top_value)
    _legend(draw, list(series))
    plot_bottom, plot_height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    group_width = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    for group, category in enumerate(categories):
        x0 = LEFT + group * group_width + group_width * 0.1
        for index, values in enumerate(series.values()):
            height = plot_height * values[group] / top_value
            left = x0 + index * bar_width
            box = (left, plot_bottom - height, left + bar_width - 3, plot_bottom)
            draw.rectangle(box, fill=COLOURS[index % len(COLOURS)])
            draw.text((left + bar_width / 2, plot_bottom - height - 4), _thousands(values[group]),
                      fill="black", font=_font(18), anchor="md")
        label = "\n".join(textwrap.wrap(category, width=max(int(group_width / 11), 8))[:4])
        draw.multiline_text((x0 + group_width * 0.4, plot_bottom + 12), label, fill="black",
                            font=_font(18), anchor="ma", align="center")
    output = io.BytesIO()
    image.save(output, format="PNG", compress_level=3)
    return output.getvalue()
