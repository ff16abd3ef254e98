"""Administrative hierarchy (行政区划): 12-digit statistical codes, subtree = code prefix."""
