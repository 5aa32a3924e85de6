"""Every Vietnamese string the web UI shows, keyed.

Views and templates use the keys (``t("search.placeholder")``), never literals,
so the wording can be reviewed in one place.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Site
    "site.name": "Văn bản giáo dục",
    "site.tagline": "Tra cứu và liên kết văn bản chính sách giáo dục",
    "nav.search": "Tìm kiếm",
    "nav.missing": "Văn bản còn thiếu",
    "nav.graph": "Đồ thị liên kết",
    "nav.json": "Dữ liệu JSON",
    "footer.note": "Mọi trang đều có bản JSON: thêm .json vào đường dẫn.",
    # Search
    "search.title": "Tìm kiếm văn bản",
    "search.placeholder": "Nhập từ khoá, số ký hiệu… ví dụ: phổ cập giáo dục",
    "search.button": "Tìm",
    "search.empty_query": "Hãy nhập từ khoá để tìm, ví dụ «phổ cập giáo dục» hoặc «29-CT/TW».",
    "search.syntax": (
        'Cú pháp: các từ (phải có đủ), "cụm từ trong ngoặc kép", OR, -loại trừ, '
        "và bộ lọc kind:, year:, issuer:."
    ),
    "search.bad_issuer": "«{value}» không phải tên cơ quan ban hành (cần có chữ hoặc số)",
    "search.malformed": "Không hiểu câu truy vấn «{query}»: {reason}",
    "search.no_results": "Không tìm thấy văn bản nào cho «{query}».",
    "search.total": "Tìm thấy {total} văn bản",
    "search.folded": "Đã tìm không dấu cho «{query}» (câu truy vấn không có dấu).",
    "search.sort": "Sắp xếp",
    "search.sort.relevance": "Phù hợp nhất",
    "search.sort.date": "Mới nhất",
    "search.facets": "Lọc kết quả",
    "search.filters": "Đang lọc",
    "search.remove_filter": "bỏ lọc",
    "search.page_beyond": "Trang {page} không có kết quả; kết quả chỉ có {last} trang.",
    "search.corpus": "Văn bản trong kho",
    "search.node_pages": "Trang liên kết và chuỗi thực hiện của:",
    "search.corpus_count": "Kho có {count} văn bản.",
    "search.corpus_newest": "Dưới đây là {shown} văn bản mới nhất; hãy tìm kiếm để xem các văn bản khác.",
    "facet.kind": "Loại văn bản",
    "facet.year": "Năm",
    "facet.level": "Cấp ban hành",
    "facet.issuer": "Cơ quan ban hành",
    "pager.prev": "« Trang trước",
    "pager.next": "Trang sau »",
    "pager.page": "Trang {page}/{last}",
    # Fields
    "field.kind": "Loại",
    "field.symbol": "Số ký hiệu",
    "field.issuer": "Cơ quan ban hành",
    "field.place": "Địa danh",
    "field.date": "Ngày",
    "field.title": "Trích yếu",
    "field.signer": "Người ký",
    "field.level": "Cấp",
    "field.file": "Tệp gốc",
    "field.doc_id": "Mã văn bản",
    "field.mentions": "Số lần nhắc",
    "field.evidence": "Căn cứ trích dẫn",
    "field.cited_by": "Số văn bản nhắc tới",
    "value.unknown": "không rõ",
    "value.no_symbol": "(không số)",
    "value.document": "Văn bản",
    "value.of": "của",
    # Relations
    "relation.implements": "Thực hiện",
    "relation.basis": "Căn cứ",
    "relation.cites": "Trích dẫn",
    # Document page
    "doc.metadata": "Thông tin văn bản",
    "doc.text": "Toàn văn",
    "doc.text_hint": "Các số ký hiệu và tên văn bản được nhắc tới là liên kết.",
    "doc.refs_out": "Văn bản được nhắc tới",
    "doc.refs_none": "Văn bản này không nhắc tới văn bản nào khác.",
    "doc.named_refs": "Văn bản nhắc theo tên",
    "doc.chains": "Quan hệ giữa các văn bản khác mà văn bản này nêu",
    "doc.incoming": "Văn bản trong kho thực hiện hoặc nhắc tới văn bản này",
    "doc.incoming_none": "Chưa có văn bản nào trong kho nhắc tới văn bản này.",
    "doc.download": "Tải tệp gốc",
    "doc.node_page": "Trang liên kết của văn bản",
    "doc.warnings": "Lưu ý khi trích xuất",
    "doc.not_found": "Không có văn bản mã «{doc_id}» trong kho.",
    "doc.file_missing": "Tệp gốc của văn bản «{doc_id}» không có trong thư mục kho.",
    # Ref / node page
    "ref.title": "Văn bản {label}",
    "ref.not_in_corpus": "không có trong kho",
    "ref.in_corpus": "có trong kho",
    "ref.read": "Đọc toàn văn",
    "ref.known": "Những gì đã biết",
    "ref.mentioned_by": "Được nhắc tới bởi",
    "ref.mentioned_none": "Không văn bản nào trong kho nhắc tới văn bản này.",
    "ref.described_as": "mô tả là",
    "ref.asserted_by": "theo",
    "ref.cites": "Văn bản này nhắc tới",
    "ref.cascade": "Chuỗi thực hiện",
    "ref.cascade_hint": "Các kế hoạch thực hiện văn bản này, từng cấp một (bấm để thu gọn).",
    "ref.cascade_none": "Chưa có văn bản nào trong kho thực hiện văn bản này.",
    "ref.candidates": "Có nhiều văn bản mang số ký hiệu «{symbol}»; hãy chọn một:",
    "ref.missing_param": "Hãy cho biết số ký hiệu (?symbol=29-CT/TW) hoặc mã nút (?id=…).",
    "ref.not_found": "Không tìm thấy văn bản «{key}» trong đồ thị liên kết.",
    "ref.view_graph": "Xem đồ thị quanh văn bản này",
    # Missing
    "missing.title": "Văn bản được nhắc nhiều nhưng chưa có trong kho",
    "missing.hint": "Danh sách nên thu thập tiếp, xếp theo số văn bản trong kho nhắc tới.",
    "missing.graph": "Đồ thị",
    "missing.none": "Mọi văn bản được nhắc tới đều đã có trong kho.",
    # Graph
    "graph.title": "Đồ thị liên kết",
    "graph.whole": "Toàn bộ kho ({nodes} nút, {edges} cạnh)",
    "graph.around": "Quanh {label}, độ sâu {depth} ({nodes} nút, {edges} cạnh)",
    "graph.too_big": (
        "Kho có {nodes} nút, quá lớn để vẽ toàn bộ; hãy nhập một số ký hiệu để xem vùng lân cận."
    ),
    "graph.symbol": "Số ký hiệu",
    "graph.depth": "Độ sâu",
    "graph.show": "Vẽ",
    "graph.help": "Kéo để di chuyển, cuộn để phóng to, bấm vào một nút để mở trang của nó.",
    "graph.nojs": "Cần bật JavaScript để vẽ đồ thị; danh sách cạnh ở dưới vẫn dùng được.",
    "graph.edges": "Danh sách cạnh",
    "graph.legend": "Chú giải",
    "graph.from": "Từ",
    "graph.to": "Đến",
    "graph.relation": "Quan hệ",
    "export.title": "Tải đồ thị",
    "export.graphml": "GraphML",
    "export.gexf": "GEXF",
    "export.json": "JSON",
    "export.csv": "CSV",
    # Levels
    "level.Trung ương": "Trung ương",
    "level.tỉnh": "Tỉnh",
    "level.huyện": "Huyện",
    "level.xã": "Xã",
    "level.trường": "Trường",
    # Errors
    "error.title": "Có lỗi",
    "error.404": "Không tìm thấy trang hoặc văn bản bạn yêu cầu.",
    "error.405": "Phương thức này không được hỗ trợ.",
    "error.400": "Yêu cầu không hợp lệ.",
    "error.500": "Máy chủ gặp lỗi ngoài dự kiến; hãy thử lại sau.",
    "error.503": "Chỉ mục chưa sẵn sàng.",
    "error.index_closed": "Chưa mở được chỉ mục tại {path}",
    "error.graph_closed": "Chưa mở được đồ thị tại {path}",
    "error.generic": "Yêu cầu không thực hiện được.",
    "error.suggest": "Thử tìm kiếm:",
    "error.home": "Về trang tìm kiếm",
    "error.query_too_long": "Câu truy vấn quá dài ({length} ký tự); tối đa {limit} ký tự.",
    "error.query_too_long_hint": "hãy rút gọn câu truy vấn",
    "error.bad_depth": "Độ sâu «{value}» không hợp lệ; hãy dùng một số từ 1 đến {limit}.",
    "error.bad_format": "Định dạng «{fmt}» không hỗ trợ; hãy chọn graphml, gexf, json hoặc csv.",
}


def level_name(level: str | None) -> str:
    """The display name of a level value (``tỉnh`` -> ``Tỉnh``); unknown values as they are."""
    return MESSAGES.get(f"level.{level}", level or "")


def t(key: str, /, **kwargs: object) -> str:
    """The message for ``key``, formatted with ``kwargs``; the key itself if unknown.

    >>> t("search.total", total=4)
    'Tìm thấy 4 văn bản'
    """
    message = MESSAGES.get(key, key)
    return message.format(**kwargs) if kwargs else message
