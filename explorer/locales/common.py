"""Strings shared by every page."""

EN = {
    "app.title": "LSTM Explorer",
}

ZH = {
    "app.title": "LSTM 探索器",
}
