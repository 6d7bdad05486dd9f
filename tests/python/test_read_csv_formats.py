"""read_csv on real ERP exports: encodings (GBK/GB18030, UTF-16 "Unicode
text"), Chinese and spreadsheet dates and amounts, document-style exports."""

import pytest

import salesight

DOC = ("单据编号,单据日期,客户编码,销售人员,金额\n"
       "BI001,2026-08-01,客户甲,张三,0.30\n"
       "BI002,2026-08-02,客户乙,李四,1.50\n")
MAP = {"order": "单据编号", "date": "单据日期", "customer": "客户编码",
       "salesperson": "销售人员", "amount": "金额"}


def test_gbk_file_needs_the_encoding_and_the_error_says_so(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(DOC.encode("gbk"))
    with pytest.raises(salesight.InvalidArgumentError, match="encoding gb18030") as err:
        salesight.read_csv(path, MAP)
    assert "单据编号,单据日期" in str(err.value)  # the header decoded as GB18030
    for name in ("gbk", "gb18030", "GBK"):
        df = salesight.read_csv(path, MAP, encoding=name)
        assert df["customer"].tolist() == ["客户甲", "客户乙"]
        assert df["salesperson"].tolist() == ["张三", "李四"]


def test_utf16_unicode_text_is_detected(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(DOC.replace(",", "\t").encode("utf-16"))  # BOM + tabs, as Excel writes
    df = salesight.read_csv(path, MAP)
    assert df["customer"].tolist() == ["客户甲", "客户乙"]
    assert df["amount"].tolist() == [0.3, 1.5]
    with pytest.raises(salesight.InvalidArgumentError, match="unknown encoding"):
        salesight.read_csv(path, MAP, encoding="latin-1")


def test_chinese_and_spreadsheet_dates_and_amounts(tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text("order,date,customer,amount\n"
                    '1,2024年1月7日,C1,"¥1,234.50"\n'
                    "2,2024/1/7,C2,1234.50元\n"
                    "3,45293,C3,(12.00)\n"
                    "4,2024-01-07 13:45:00,C4,12.00-\n"
                    '5,2024-01-07,C5,"1,234"\n', encoding="utf-8")
    df = salesight.read_csv(path, money="minor", money_scale=2)
    assert df["order_id"].tolist() == [1, 2, 4]  # 45293 needs excel_dates; 1,234 is ambiguous
    assert df["amount"].tolist() == [123450, 123450, -1200]
    rejects = df.attrs["rejects"]
    assert rejects["line"].tolist() == [4, 6]
    assert rejects["column"].tolist() == ["date", "amount"]
    assert rejects["value"].tolist() == ["45293", "1,234"]
    assert "excel_dates" in rejects["reason"][0] and "2024-01-02" in rejects["reason"][0]
    assert "--thousands" in rejects["reason"][1]
    df = salesight.read_csv(path, money="minor", money_scale=2, excel_dates=True,
                            thousands_separator=",")
    assert df["order_id"].tolist() == [1, 2, 3, 4, 5]
    assert str(df["order_date"][2].date()) == "2024-01-02"


def test_document_export_fill_down_and_totals(tmp_path):
    path = tmp_path / "doc.csv"
    path.write_text("单据编号,单据日期,客户编码,销售人员,销售金额,商品编码,数量,金额\n"
                    "BI001,2026-08-01,001,张三,0.30,P001,1,0.10\n"
                    ",,,,,P001,1,0.20\n"
                    "BI002,2026-08-02,002,李四,9.99,P002,2,1.00\n"  # planted: lines sum to 1.00
                    ",,,,,合计:,,1.40\n", encoding="utf-8")          # planted: lines sum to 1.30
    mapping = {"order": "单据编号", "date": "单据日期", "customer": "客户编码",
               "salesperson": "销售人员", "product": "商品编码", "quantity": "数量",
               "amount": "金额"}
    df = salesight.read_csv(path, mapping, money="minor", money_scale=2,
                            fill_down=["单据编号", "单据日期", "客户编码", "销售人员"],
                            document_total="销售金额")
    report = df.attrs["report"]
    assert (report["accepted"], report["total_rows"], report["rejected"]) == (3, 0, 1)
    assert report["accepted"] + report["total_rows"] + report["rejected"] == report["data_lines"]
    assert report["total_mismatches"] == 2
    assert df["amount"].tolist() == [10, 20, 100]  # 销售金额 never added
    assert df["salesperson"].tolist() == ["张三", "张三", "李四"]
    assert "销售金额" not in df.columns
    rejects = df.attrs["rejects"]
    assert rejects["line"].tolist() == [5]
    assert "says 1.40" in rejects["reason"][0] and "sum to 1.30" in rejects["reason"][0]
    notes = df.attrs["notes"]
    assert notes["line"].tolist() == [3, 4]
    assert notes["reason"][0].startswith("filled down: 单据编号")
    assert "9.99" in notes["reason"][1] and "sum to 1.00" in notes["reason"][1]


def test_preset_reads_a_kingdee_export_without_a_mapping(tmp_path):
    """preset="kingdee": the captions of 金蝶's sales order export; 金额 (without
    VAT) is the amount, not 价税合计; a stated mapping wins field by field; a
    GBK file through the preset's reader options as any other."""
    text = ("单据编号,日期,客户编码,销售员,物料编码,销售数量,价税合计,金额\n"
            "XSDD01,2024/1/7,C001,张三,P-01,2,226.00,200.00\n"
            "XSDD02,2024/1/8,C002,李四,P-02,1,113.00,100.00\n")
    path = tmp_path / "kingdee.csv"
    path.write_bytes(text.encode("gbk"))
    df = salesight.read_csv(path, preset="kingdee", encoding="gbk")
    assert df["customer"].tolist() == ["C001", "C002"]
    assert df["amount"].tolist() == [200.0, 100.0]
    assert df["salesperson"].tolist() == ["张三", "李四"]
    taxed = salesight.read_csv(path, {"amount": "价税合计"}, preset="kingdee", encoding="gbk")
    assert taxed["amount"].tolist() == [226.0, 113.0]
    with pytest.raises(salesight.SalesightError, match="Did you mean .kingdee."):
        salesight.read_csv(path, preset="kingde", encoding="gbk")


def test_num_threads_reads_the_same_frame(tmp_path):
    # 9 MB: two chunks of at least 4 MiB (csv.hpp "Parallel reading"); quoted
    # line breaks and a rejected row on the way.
    path = tmp_path / "big.csv"
    rows = ['%d,2024-01-%02d,C%d,%d.5,"note\n%d"' % (i, 1 + i % 28, i % 997, i % 1000, i)
            for i in range(200000)]
    rows[120000] = '120000,2024-13-01,C1,1,"x"'
    path.write_text("order,date,customer,amount,note\n" + "\n".join(rows) + "\n")
    one = salesight.read_csv(path, num_threads=1, money="minor")
    two = salesight.read_csv(path, num_threads=2, money="minor")
    assert one.equals(two)
    assert one.attrs["report"] == two.attrs["report"]
    assert one.attrs["rejects"].equals(two.attrs["rejects"])
    assert one.attrs["rejects"]["line"].tolist() == [2 + 2 * 120000]
