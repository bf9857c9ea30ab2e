"""Reading a batch body: size limits before and after gzip, then JSON. Errors are 400/413."""
from __future__ import annotations

import json
import zlib

from flask import request

from district.domain.errors import BatchTooLarge, BatchUnreadable


def read_json(max_bytes: int, max_inflated: int):
    if request.content_length is not None and request.content_length > max_bytes:
        raise BatchTooLarge("too_large", f"Lô dữ liệu quá lớn ({request.content_length} byte); tối đa {max_bytes} "
                            "byte sau khi nén gzip. Hãy gửi lô nhỏ hơn.", "body")
    raw = request.stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise BatchTooLarge("too_large", f"Lô dữ liệu quá lớn; tối đa {max_bytes} byte sau khi nén gzip.",
                            "body")
    encoding = (request.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(wbits=31)
        try:
            raw = inflater.decompress(raw, max_inflated + 1)
        except zlib.error:
            raise BatchUnreadable("bad_gzip", "Nội dung gzip bị hỏng, không giải nén được.", "body") from None
        if len(raw) > max_inflated or inflater.unconsumed_tail:
            raise BatchTooLarge("too_large", f"Lô dữ liệu sau khi giải nén vượt {max_inflated} byte.", "body")
        if not inflater.eof:
            raise BatchUnreadable("bad_gzip", "Nội dung gzip bị cắt cụt, không đầy đủ.", "body")
    elif encoding != "identity":
        raise BatchUnreadable("bad_encoding", "Chỉ nhận Content-Encoding: gzip (hoặc không nén).",
                              "Content-Encoding")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as e:
        raise BatchUnreadable("malformed", f"Nội dung không phải JSON hợp lệ ({e}).", "body") from None
    except RecursionError:
        raise BatchUnreadable("too_deep", "Nội dung JSON lồng nhau quá sâu, không đọc được.", "body") from None
