"""The words of the demo data: products, notes, deadline texts and conversations in Chinese and English.

Pure functions of a random.Random and plain values, so demo.py can call them 100,000 times cheaply.
Every deadline text here reads back (notedesk.deadlines) to the date and window it was written for.
"""

from __future__ import annotations

import datetime as dt
import random

# (zh name, en name, colours zh, colours en, sizes, materials zh, materials en, unit price in CNY cents)
PRODUCTS = [
    ("T恤", "T-shirt", ("白色", "黑色", "红色", "藏青"), ("white", "black", "red", "navy"),
     ("S", "M", "L", "XL", "XXL"), ("纯棉180g", "精梳棉200g"), ("cotton 180gsm", "combed cotton 200gsm"), (2500, 4500)),
    ("帆布袋", "tote bag", ("米白", "黑色", "军绿"), ("natural", "black", "olive"),
     ("38x42cm", "35x40cm"), ("12安帆布", "16安帆布"), ("12oz canvas", "16oz canvas"), (900, 2200)),
    ("马克杯", "custom mug", ("白色", "黑色", "哑光灰"), ("white", "black", "matte grey"),
     ("350ml", "450ml"), ("陶瓷", "骨瓷"), ("ceramic", "bone china"), (1200, 3800)),
    ("连帽卫衣", "hoodie", ("灰色", "黑色", "酒红"), ("heather grey", "black", "burgundy"),
     ("M", "L", "XL", "XXL"), ("加绒棉", "毛圈棉"), ("brushed fleece", "french terry"), (6800, 12800)),
    ("棒球帽", "baseball cap", ("黑色", "白色", "卡其"), ("black", "white", "khaki"),
     ("均码",), ("斜纹棉", "网眼"), ("cotton twill", "mesh back"), (1500, 3500)),
    ("保温杯", "water bottle", ("银色", "黑色", "天蓝"), ("silver", "black", "sky blue"),
     ("500ml", "750ml"), ("304不锈钢", "316不锈钢"), ("304 steel", "316 steel"), (3500, 8800)),
    ("笔记本", "notebook", ("牛皮纸", "黑色"), ("kraft", "black"),
     ("A5", "B5"), ("80g道林纸", "100g书写纸"), ("80gsm paper", "100gsm paper"), (800, 2600)),
    ("POLO衫", "polo shirt", ("白色", "藏青", "天蓝"), ("white", "navy", "sky blue"),
     ("S", "M", "L", "XL"), ("珠地棉", "速干面料"), ("pique cotton", "quick-dry"), (3800, 7800)),
]
QUANTITIES = (20, 30, 50, 60, 80, 100, 120, 150, 200, 300, 500, 800, 1000, 2000)

PREFERENCES_ZH = ("只用顺丰", "只接受顺丰快递", "发票抬头必须与合同一致", "工作日送货，周末仓库不收货",
                  "送货前一天电话预约", "老客户，付款周期30天", "对颜色非常敏感，务必先寄色卡", "")
PREFERENCES_EN = ("Invoice must show PO number", "Use DHL Express only", "No deliveries on Fridays",
                  "Call the warehouse 30 minutes before arrival", "Prefers email over phone", "")

PACKING_ZH = ("每件单独OPP袋包装，每箱50件", "纸盒包装，外箱贴唛头", "每10件一捆，外箱注明尺码", "礼盒包装，附感谢卡")
PACKING_EN = ("Individually bagged, 50 per carton", "Gift box with a thank-you card",
              "Bundles of 10, carton labelled by size", "Plain cartons, no invoice inside")
DRAWING_ZH = ("设计稿见邮件附件（V{n}版）", "LOGO按客户提供的AI文件，潘通色号186C", "图案居中，宽度25cm",
              "设计稿待客户确认")
DRAWING_EN = ("Artwork v{n} attached to the email", "Logo from the customer's AI file, Pantone 286C",
              "Print centred, 25 cm wide", "Artwork still to be approved")
SPECIAL_ZH = ("加印LOGO：胸前左侧，丝印两色", "特殊涂层：杯身哑光防滑涂层", "防潮包装：每箱放干燥剂",
              "冷链运输（含巧克力礼品）", "刺绣LOGO，宽8厘米", "烫金工艺，金色需与样品一致",
              "每件挂吊牌，条码由客户提供")
SPECIAL_EN = ("Add logo print: left chest, 2-colour screen print", "Special coating: matte anti-slip finish",
              "Moisture-proof packing with desiccant in every carton",
              "Cold-chain transport for the chocolate gift set",
              "Embroidered logo, 8 cm wide", "Gold foil stamping to match the approved sample",
              "Swing tag on every piece, barcodes supplied by the customer")
DELIVERY_ZH = ("需提前一天电话预约", "送到3号门卸货平台", "客户自提", "分两批送货，第一批先送一半",
               "送货时请带送货单两份")
DELIVERY_EN = ("Book a delivery slot the day before", "Deliver to the loading dock at the rear",
               "Customer collects from our warehouse", "Split delivery: half first, rest a week later",
               "Two copies of the delivery note, please")

LOG_ZH = ("客户来电，数量改为{q}件", "确认设计稿V{n}，LOGO放大10%", "客户微信发来付款截图", "提醒客户尽快确认颜色",
          "已寄样品，客户确认无误", "仓库反馈面料到货，明天开始生产", "客户询问物流单号", "客户要求发票开增值税专票",
          "客户要求加急，同意加收加急费", "质检发现两件印花偏移，已返工")
LOG_EN = ("Customer called: change quantity to {q}", "Sent proof v{n} by email, waiting for approval",
          "Customer approved the sample", "Customer asked to move delivery earlier",
          "Payment received, confirmed by finance",
          "Customer asked for the tracking number", "Reminded the customer to confirm the colours",
          "Agreed to a rush fee for the earlier date", "QC found two misprints, reworked")
CORRECTION_ZH = "更正：上条记录数量应为{q}件"
CORRECTION_EN = "Correction: the quantity is {q}, not as logged above"
UNSCHEDULED_ZH = ("尽快", "等客户通知", "送货时间待定")
UNSCHEDULED_EN = ("ASAP", "TBD - customer will confirm", "as soon as possible")

# (start, end, zh, en): the deadline window and how clerks write it
WINDOWS = ((9, 11, "上午9点至11点", "9-11am"), (14, 17, "下午2点到5点", "2-5pm"), (9, 12, "上午", "morning"),
           (13, 18, "下午", "afternoon"), (None, 15, "下午3点前", "by 3pm"), (None, 14, "14:00前", "by 14:00"),
           (10, 12, "10:00-12:00", "10:00-12:00"))
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def deadline_text(rng: random.Random, zh: bool, date: dt.date, window) -> str:
    """How a clerk would have written this deadline (window None = the whole day)."""
    y, m, d = date.year, date.month, date.day
    if zh:
        w = window[2] if window else ""
        return rng.choice((f"请在{y}年{m}月{d}日前交付，{w}送达" if w else f"请在{y}年{m}月{d}日前交付",
                           f"{y}年{m}月{d}日{w}", f"{m}月{d}日{w}交货", f"{date.isoformat()} {w}".strip()))
    w = window[3] if window else ""
    sep = ", " if w else ""
    return rng.choice((f"deliver by {MONTHS_EN[m - 1]} {d}, {y}{sep}{w}", f"{date.isoformat()} {w}".strip(),
                       f"{d} {MONTHS_EN[m - 1]} {y}{sep}{w}"))


def spec(rng: random.Random, product, zh: bool) -> tuple[str, str]:
    """The line's spec and its colour (the requirements name the same colour)."""
    colour = rng.choice(product[2] if zh else product[3])
    material = rng.choice(product[5] if zh else product[6])
    return f"{colour} / {rng.choice(product[4])} / {material}", colour


def requirements(rng: random.Random, zh: bool, lines) -> str:
    """lines: (product tuple, quantity, colour) triples: the requirements name each line's product,
    quantity and colour, as the line has them (issue 20: a 黑色 line whose requirement said 白色)."""
    parts = []
    for product, qty, colour in lines:
        rng.choice(product[2] if zh else product[3])  # drawn as before, so the rest of the demo stays the same
        if zh:
            parts.append(f"{colour}{product[0]}{qty}件，尺码配比按附表")
        else:
            parts.append(f"{qty} {product[1]}s in {colour}, size split as per the sheet")
    n = rng.randint(1, 5)
    if zh:
        extra = [rng.choice(PACKING_ZH), rng.choice(DRAWING_ZH).format(n=n)]
        return "；".join(parts) + "。\n包装：" + extra[0] + "。\n设计：" + extra[1] + "。"
    extra = [rng.choice(PACKING_EN), rng.choice(DRAWING_EN).format(n=n)]
    return "; ".join(parts) + ".\nPacking: " + extra[0] + ".\nArtwork: " + extra[1] + "."


def special(rng: random.Random, zh: bool) -> str:
    pool = SPECIAL_ZH if zh else SPECIAL_EN
    return ("\n" if rng.random() < 0.5 else ("；" if zh else "; ")).join(rng.sample(pool, rng.randint(1, 2)))


def delivery(rng: random.Random, zh: bool, address: str, contact: str, phone: str, preference: str) -> str:
    if zh:
        text = f"送货地址：{address}\n联系人：{contact} {phone}\n{rng.choice(DELIVERY_ZH)}"
    else:
        text = f"Ship to: {address}\nContact: {contact}, {phone}\n{rng.choice(DELIVERY_EN)}"
    return f"{text}\n{preference}" if preference else text


def payment_note(rng: random.Random, zh: bool, method: str, total: str, currency: str, k: int, company: str) -> str:
    if zh:
        return {
            "cod": f"货到付款，收货时支付全款{total}元",
            "prepaid": rng.choice((f"款到发货，需预付全款{total}元", "预付30%定金，余款发货前付清")),
            "instalments": f"分{k}期付款，首期为定金，余款按计划支付",
            "on_account": "月结30天，开具增值税专用发票",
            "other": f"对公转账，发票抬头：{company or '个人'}",
        }[method]
    return {
        "cod": f"Cash on delivery: the courier collects the full {total} {currency}",
        "prepaid": rng.choice(("Prepayment by bank transfer before production",
                               "30% deposit, balance before shipping")),
        "instalments": f"Paid in {k} instalments: deposit first, then as scheduled",
        "on_account": f"Net 30 on account. Invoice must show PO number PO-{rng.randint(10000, 99999)}",
        "other": "Pay by PayPal; send the invoice to accounts payable",
    }[method]


def log_text(rng: random.Random, zh: bool) -> str:
    text = rng.choice(LOG_ZH if zh else LOG_EN)
    return text.format(q=rng.choice(QUANTITIES), n=rng.randint(2, 5)) if "{" in text else text


def correction_text(rng: random.Random, zh: bool) -> str:
    return (CORRECTION_ZH if zh else CORRECTION_EN).format(q=rng.choice(QUANTITIES))
