"""Themes and terminals: the high-contrast theme, NO_COLOR, 16-colour terminals, no animation.

`install(app)` registers the themes, turns animations off and returns the theme to start with:

1. the config file's `theme` (any Textual theme name, or "high-contrast");
2. NO_COLOR set: high-contrast. Textual already turns every colour into grey (its Monochrome
   filter); on a theme built from pure black and white the greys stay far apart, so the cursor,
   borders and the footer keys are still told apart by brightness alone, and the screens mark
   urgency with words and bold as well as colour;
3. a 16-colour terminal (TERM=linux, screen, xterm: Rich reports the "standard" colour system):
   Textual's ansi-dark, which uses the terminal's own palette; the default theme's dark shades all
   collapse into black there and its light reds into white;
4. otherwise Textual's default.

Decisions: the high-contrast theme uses only colours that have an exact or very near ANSI
equivalent (#000000, #ffffff, #ffff00, #00ffff, #ff5555, #55ff55), so it reads the same when
Rich downgrades it to 16 colours. Muted text is not grey in it: "muted" is exactly what a
low-vision clerk cannot read. Animations are off everywhere: over a slow SSH link every animated
frame is bytes, and a toast or a scroll that slides in hides where things are until it stops.
"""

from __future__ import annotations

import os

from textual.app import App
from textual.theme import Theme

from notedesk.i18n import _

HIGH_CONTRAST = "high-contrast"
SIXTEEN_COLOURS = "ansi-dark"

_BLACK, _WHITE, _YELLOW, _CYAN, _RED, _GREEN, _SILVER = (
    "#000000", "#ffffff", "#ffff00", "#00ffff", "#ff5555", "#55ff55", "#c0c0c0")

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary=_YELLOW,
    secondary=_CYAN,
    accent=_CYAN,
    warning=_YELLOW,
    error=_RED,
    success=_GREEN,
    foreground=_WHITE,
    background=_BLACK,
    surface=_BLACK,
    panel=_BLACK,
    boost=_BLACK,
    dark=True,
    luminosity_spread=0.0,  # no derived in-between shades: each colour is itself
    text_alpha=1.0,
    variables={
        "text": _WHITE,
        "text-muted": _WHITE,
        "text-disabled": _SILVER,
        "text-primary": _YELLOW,
        "text-accent": _CYAN,
        "text-warning": _YELLOW,
        "text-error": _RED,
        "text-success": _GREEN,
        "foreground-muted": _WHITE,
        "block-cursor-background": _YELLOW,
        "block-cursor-foreground": _BLACK,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": _WHITE,
        "block-cursor-blurred-foreground": _BLACK,
        "block-cursor-blurred-text-style": "none",
        "block-hover-background": _BLACK,
        "border": _YELLOW,
        "border-blurred": _WHITE,
        "input-cursor-background": _WHITE,
        "input-cursor-foreground": _BLACK,
        "input-cursor-text-style": "none",
        "input-selection-background": _CYAN,
        "input-selection-foreground": _BLACK,
        "screen-selection-background": _CYAN,
        "screen-selection-foreground": _BLACK,
        "footer-background": _BLACK,
        "footer-foreground": _WHITE,
        "footer-key-foreground": _YELLOW,
        "footer-key-background": _BLACK,
        "footer-description-foreground": _WHITE,
        "footer-description-background": _BLACK,
        "footer-item-background": _BLACK,
        "scrollbar": _WHITE,
        "scrollbar-hover": _YELLOW,
        "scrollbar-active": _YELLOW,
        "scrollbar-background": _BLACK,
        "scrollbar-background-hover": _BLACK,
        "scrollbar-background-active": _BLACK,
        "scrollbar-corner-color": _BLACK,
        "primary-muted": _BLACK,
        "secondary-muted": _BLACK,
        "accent-muted": _BLACK,
        "warning-muted": _BLACK,
        "error-muted": _BLACK,
        "success-muted": _BLACK,
        "surface-active": _BLACK,
    },
)


def no_color() -> bool:
    """NO_COLOR is set. Like Textual (which greys the screen when the variable is present at all),
    not only when it is non-empty as no-color.org asks: the two must agree, or an empty NO_COLOR
    would give a grey screen on a theme not made for it."""
    return "NO_COLOR" in os.environ


def sixteen_colours(app: App) -> bool:
    """True in a terminal Rich drives with the 16 standard colours (linux console, screen, xterm)."""
    return not app.is_headless and app.console.color_system in ("standard", "windows")


def choose(app: App, configured: str | None) -> str:
    """The theme the desk starts with (see the module docstring for the order)."""
    if configured and configured in app.available_themes:
        return configured
    if no_color():
        return HIGH_CONTRAST
    if sixteen_colours(app):
        return SIXTEEN_COLOURS
    return app.theme


def install(app: App) -> str:
    """Register notedesk's themes, turn animations off; returns the theme to start with."""
    from notedesk.config import settings

    app.register_theme(HIGH_CONTRAST_THEME)
    app.animation_level = "none"
    return choose(app, settings().theme)


def toggle_high_contrast(app: App) -> None:
    """Switch between the high-contrast theme and the one the desk would otherwise use."""
    if app.theme == HIGH_CONTRAST:
        previous = getattr(app, "_theme_before_contrast", None)
        app.theme = previous if previous and previous != HIGH_CONTRAST else (
            SIXTEEN_COLOURS if sixteen_colours(app) else "textual-dark")
    else:
        app._theme_before_contrast = app.theme
        app.theme = HIGH_CONTRAST


def toggle_label(app: App) -> str:
    return _("Normal colours") if app.theme == HIGH_CONTRAST else _("High contrast")
