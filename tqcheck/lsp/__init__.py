"""``tqcheck server``: the language server for editors (docs/editors.md).

``positions`` converts offsets, ``convert`` turns findings into LSP objects, ``server`` wires them
to pygls.  Only ``server`` imports pygls (the ``lsp`` extra).
"""
