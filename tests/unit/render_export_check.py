#!/usr/bin/env python3
"""Read back an export of tests/unit/render_export.c with real readers.

Usage: render_export_check.py xlsx FILE | csv-applications FILE | csv-stations FILE
Prints "ok" and exits 0 when the file holds what the C test wrote; otherwise says what is wrong.
"""
import csv
import datetime
import sys

import openpyxl


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


APP_HEADERS = ["受理编号", "业务代码", "业务类型", "受理网点", "状态", "当前工位", "经办人",
               "受理时间", "应办结日期", "费用（元）", "是否超期"]
STATION_HEADERS = ["工位", "待办", "今日完成", "超期"]
ROWS = 120


def expected_fee(i):
    return (i * 1234 + 5) if i % 7 else -50  # fen; row 0 is a refund of 0.50


def xlsx(path):
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames == ["受理明细", "工位统计", "汇总"], "sheets %r" % wb.sheetnames)
    ws = wb["受理明细"]
    rows = list(ws.iter_rows(values_only=True))
    check(list(rows[0]) == APP_HEADERS, "headers %r" % (rows[0],))
    check(len(rows) == ROWS + 1, "%d rows" % len(rows))
    for i, row in enumerate(rows[1:]):
        check(row[0] == "WH-261129-%05d-X" % (i + 1), "row %d number %r" % (i, row[0]))
        check(row[2] == "补领机动车驾驶证" if i % 2 == 0 else row[2] == "=1+1 不是公式",
              "row %d business %r" % (i, row[2]))
        check(isinstance(row[7], datetime.datetime), "row %d time %r" % (i, row[7]))
        check(row[7] == datetime.datetime(2026, 11, 29, 8, 30) + datetime.timedelta(minutes=i),
              "row %d time %r" % (i, row[7]))
        if i % 5 == 4:
            check(row[8] is None, "row %d due %r" % (i, row[8]))
        else:
            check(isinstance(row[8], datetime.datetime) and row[8] == datetime.datetime(2026, 12, 4),
                  "row %d due %r" % (i, row[8]))
        check(isinstance(row[9], float), "row %d fee %r is not a number" % (i, row[9]))
        check(round(row[9] * 100) == expected_fee(i), "row %d fee %r" % (i, row[9]))
        check(row[10] == ("是" if i % 3 == 0 else "否"), "row %d overdue %r" % (i, row[10]))
        check(row[5] == (None if i % 4 == 0 else "审核"), "row %d station %r" % (i, row[5]))
    cell = ws.cell(row=2, column=10)
    check(cell.number_format == "0.00", "fee format %r" % cell.number_format)
    check(ws.cell(row=2, column=8).number_format == "yyyy-mm-dd hh:mm", "time format")
    check(ws.cell(row=2, column=9).number_format == "yyyy-mm-dd", "date format")
    check(ws.cell(row=3, column=3).data_type == "s", "a text starting with = is a string")
    st = wb["工位统计"]
    srows = list(st.iter_rows(values_only=True))
    check(list(srows[0]) == STATION_HEADERS, "station headers %r" % (srows[0],))
    check(srows[1] == ("审核", 12, 40, 2), "station row %r" % (srows[1],))
    check(srows[2] == ("审批", 0, 7, 0), "station row %r" % (srows[2],))
    sm = wb["汇总"]
    check(sm["B1"].value == "武汉市车驾管业务邮政代办中心", "centre %r" % sm["B1"].value)
    check(sm["B2"].value == datetime.datetime(2026, 11, 29), "date %r" % sm["B2"].value)
    check(sm["B4"].value == ROWS, "count %r" % sm["B4"].value)
    total = sum(expected_fee(i) for i in range(ROWS))
    check(round(sm["B5"].value * 100) == total, "total %r vs %d" % (sm["B5"].value, total))


def csv_applications(path):
    raw = open(path, "rb").read()
    check(raw.startswith(b"\xef\xbb\xbf"), "no BOM")
    # Records end in CRLF; the one bare LF of each row is inside the quoted branch field.
    check(raw.endswith(b"\r\n") and raw.count(b"\r\n") == ROWS + 1, "records do not end in CRLF")
    check(raw.count(b"\n") == 2 * ROWS + 1, "unexpected line feeds")
    rows = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    check(rows[0] == APP_HEADERS, "headers %r" % rows[0])
    check(len(rows) == ROWS + 1, "%d rows" % len(rows))
    for i, row in enumerate(rows[1:]):
        check(len(row) == len(APP_HEADERS), "row %d has %d fields" % (i, len(row)))
        check(row[0] == "WH-261129-%05d-X" % (i + 1), "row %d number" % i)
        if i % 2:
            check(row[2] == "'=1+1 不是公式", "row %d guarded text %r" % (i, row[2]))
        check(row[3] == '武昌"彭刘杨路", 支局\n二楼', "row %d quoting %r" % (i, row[3]))
        minute = 30 + i
        check(row[7] == "2026-11-29 %02d:%02d" % (8 + minute // 60, minute % 60),
              "row %d time %r" % (i, row[7]))
        check(row[8] == ("" if i % 5 == 4 else "2026-12-04"), "row %d due %r" % (i, row[8]))
        fee = expected_fee(i)
        want = ("-" if fee < 0 else "") + "%d.%02d" % (abs(fee) // 100, abs(fee) % 100)
        check(row[9] == want, "row %d fee %r, want %r" % (i, row[9], want))


def csv_stations(path):
    rows = list(csv.reader(open(path, encoding="utf-8-sig", newline="")))
    check(rows == [STATION_HEADERS, ["审核", "12", "40", "2"], ["审批", "0", "7", "0"]],
          "stations %r" % rows)


{"xlsx": xlsx, "csv-applications": csv_applications, "csv-stations": csv_stations}[sys.argv[1]](
    sys.argv[2])
print("ok")
