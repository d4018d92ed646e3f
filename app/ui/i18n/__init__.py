"""UI string tables, one module per feature: `STRINGS = {"zh": {"English source": "中文"}}`.

QML uses the English source text in qsTr(); `app.ui.translator` merges every module here.
"""
