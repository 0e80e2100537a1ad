"""The floor for first paint and memory: a bare Textual app with a 50-row DataTable (issue 7).

Nothing of notedesk is imported. The benchmark times it from spawn until the marker FLOOR-00000 is on
the screen, exactly as it times the desk until an order number is.
"""

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Floor(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Number", "Customer", "Status", "Deadline", "Amount")
        for i in range(50):
            table.add_row(f"FLOOR-{i:05d}", "王芳 芳华服饰有限公司", "confirmed", "12-01 09:00–11:00", "7,000.00")


if __name__ == "__main__":
    Floor().run()
