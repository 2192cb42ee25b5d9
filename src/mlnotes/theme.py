"""The named styles of rendered notes (math, links, notices), on their own so that a command
that prints without rendering Markdown does not import the Markdown machinery to get them."""

from rich.theme import Theme

NOTE_THEME = Theme(
    {
        "mlnotes.math": "#9cc7e8",
        "mlnotes.math.error": "dim",
        "mlnotes.notice": "italic #d7af5f",
        "mlnotes.link": "underline #7fb8d8",
        "mlnotes.link.broken": "underline #d77f7f",
    }
)
