"""Card TEXT in the layouts the parser reads, and the canonical object each layout carries.

* ``pdf``: the PDF-converted form (``examples/cards/002_*.txt``, ``003_*.txt``): numbered
  sections, tab-separated cells, ``<input checked="" type="checkbox"/>`` boxes, the
  stages table, the exchange tables of sections 7 and 8 with their head rows and box
  columns, the process list and the form filler's line, Persian digits.
* ``pdf-reversed``: the same with the exchange and licence tables read left-to-right
  (cells in reverse order), as some PDF converters leave right-to-left tables.
* ``web``: the compact ``label : value`` page of agency web sites
  (``tests/data/cards/compact_web.txt``): single values, the checked options as words,
  exchanges as ``label : value | ...`` rows. It prints no stages, recipient counts, life
  events, start triggers, licences or form filler, so those are null (or empty) in the
  object it carries: :func:`render` returns that object beside the text.

>>> from graph.card import Card
>>> text, expected = render(Card(source="a.txt", title="صدور مجوز", service_id="1234567890"), "web")
>>> text.splitlines()[:2]
['عنوان خدمت : صدور مجوز', 'شناسه خدمت : ۱۲۳۴۵۶۷۸۹۰']
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.card import STAGE_NAMES, Card, ExternalExchange, InternalExchange

__all__ = ["LAYOUTS", "render"]

LAYOUTS = ("pdf", "pdf-reversed", "web")

ON = '<input checked="" type="checkbox"/>'
OFF = '<input type="checkbox"/>'
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

SERVICE_TYPES = (
    ("G2C", "خدمت به شهروندان (G2C)"),
    ("G2B", "خدمت به کسب و کار (G2B)"),
    ("G2G", "خدمت به دیگر دستگاه های دولتی (G2G)"),
)
NATURE = (("sovereign", "حاکمیتی"), ("enterprise", "تصدی گری"))
LEVELS = (
    ("national", "ملی"),
    ("regional", "منطقه ای"),
    ("provincial", "استانی"),
    ("city", "شهری"),
    ("village", "روستایی"),
)
LIFE_EVENTS = (
    ("birth", "تولد"), ("education", "آموزش"), ("health", "سلامت"), ("tax", "مالیات"),
    ("business", "کسب و کار"), ("social_security", "تامین اجتماعی"),
    ("property_registration", "ثبت مالکیت"), ("urban_facilities", "تاسیسات شهری"),
    ("insurance", "بیمه"), ("marriage", "ازدواج"), ("retirement", "بازنشستگی"),
    ("certificates", "مدارک و گواهینامه ها"), ("death", "وفات"), ("other", "سایر"),
)  # fmt: skip
TRIGGERS = (
    ("applicant_request", "تقاضای گیرنده خدمت"),
    ("scheduled_time", "فرارسیدن زمانی مشخص"),
    ("specific_event", "رخداد رویدادی مشخص"),
    ("agency_detection", "تشخیص دستگاه"),
    ("other", "سایر: ..."),
)
PERIODS = (("month", "ماه"), ("season", "فصل"), ("year", "سال"))
CHANNELS = (
    ("web", "اینترنتی (مانند وبگاه دستگاه)"),
    ("mobile_app", "تلفن همراه (برنامه کاربردی)"),
    ("email", "پست الکترونیک"),
    ("post", "ارسال پستی"),
    ("call_center", "تلفن گویا یا مرکز تماس"),
    ("sms", "پیام کوتاه"),
    ("counter_office", "دفاتر پیشخوان"),
    ("other", "سایر (با ذکر نحوه دسترسی)"),
)
STAGE_LABELS = {
    "informing": "در مرحله اطلاع رسانی خدمت",
    "request": "در مرحله درخواست خدمت",
    "production": "مرحله تولید خدمت (فرایند داخل دستگاه یا ارتباط با دیگر دستگاه ها)",
    "delivery": "در مرحله ارائه خدمت",
}
INQUIRY_WORDS = {"online": "برخط", "batch": "دسته ای", "non_electronic": "غیر الکترونیکی"}
INQUIRY_HEADS = (
    ("online", "استعلام الکترونیکی برخط online"),
    ("batch", "استعلام الکترونیکی دستی (Batch)"),
    ("non_electronic", "استعلام غیر الکترونیکی"),
)


def fa(text: str | None) -> str:
    """ASCII digits written as Persian digits, as most cards print them."""
    return (text or "").translate(_FA_DIGITS)


def boxes(options: Sequence[tuple[str, str]], checked: Sequence[str] | None) -> str:
    marks = set(checked or ())
    return " ".join(f"{ON if key in marks else OFF} {word}" for key, word in options)


def _row(cells: list[str], reversed_: bool) -> str:
    return "\t\t".join(reversed(cells) if reversed_ else cells)


def render(card: Card, layout: str) -> tuple[str, Card]:
    """``(text, expected)``: the card written in ``layout`` and what that text carries."""
    if layout == "web":
        return _web(card), card.model_copy(
            update={
                "life_events": None,
                "start_triggers": None,
                "recipients": None,
                "in_person_visits": None,
                "stages": None,
                "licenses": [],
                "form_filler": None,
            }
        )
    if layout in ("pdf", "pdf-reversed"):
        return _pdf(card, reversed_=layout == "pdf-reversed"), card
    raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}")


def _pdf(c: Card, *, reversed_: bool) -> str:
    out = ["", "بسمه تعالی", "", "فرم شناسنامه خدمت دستگاه اجرایی", "", "ضمیمه ۱", ""]
    out.append(f"۱- عنوان خدمت: {c.title}\t\t۲- شناسه خدمت: {fa(c.service_id)}\t")
    if c.subservice_title:
        out.append(f"عنوان زیرخدمت: {c.subservice_title}\t\tشناسه زیرخدمت: {fa(c.subservice_id)}\t")
    out.append(f"۳- ارائه دهنده خدمت\tنام دستگاه اجرایی: {c.agency}\t\t")
    out.append(f"\tنام دستگاه مادر: {c.parent_agency or ''}\t\t")
    out.append(f"۴- مشخصات خدمت\tشرح خدمت\t{c.description or ''}\t")
    out.append(f"۵- جزئیات خدمت\tنوع خدمت\t{boxes(SERVICE_TYPES, c.service_types)}\t")
    out.append(f"\tنوع مخاطبین\t{c.audience or ''}\t")
    out.append(f"ماهیت خدمت\t\t{boxes(NATURE, c.nature)}\t")
    out.append(f"سطح خدمت\t\t{boxes(LEVELS, c.levels)}\t")
    out.append(f"رویداد مرتبط با:\t\t{boxes(LIFE_EVENTS, c.life_events)}\t")
    out.append(f"نحوه آغاز خدمت\t\t{boxes(TRIGGERS, c.start_triggers)}\t")
    out.append(f"مدارک لازم برای انجام خدمت\t\t{c.required_documents or ''}\t")
    out.append(f"قوانین و مقررات بالادستی\t\t{c.legal_basis or ''}\t")
    rec = c.recipients
    period = [rec.period] if rec and rec.period else []
    count = fa(str(rec.count)) if rec and rec.count is not None else ""
    out.append(f"آمار تعداد خدمت گیرندگان\t\t{count} خدمت گیرندگان در: {boxes(PERIODS, period)}\t")
    out.append(f"متوسط مدت زمان ارائه خدمت:\t\t{fa(c.duration)}\t")
    out.append(f"تواتر\t\t{OFF} یکبار برای همیشه {OFF} بار در: {boxes(PERIODS, [])}\t")
    out.append(f"تعداد بار مراجعه حضوری\t\t{fa(c.in_person_visits)}\t")
    out.append(f"هزینه ارائه خدمت (ریال) به خدمت گیرندگان\t\t{fa(c.fee)}\t")
    out.append(
        "۶- نحوه دسترسی به خدمت\tآدرس دقیق و مستقیم خدمت در وبگاه در صورت الکترونیکی بودن"
        f" همه یا بخشی از آن\t{c.url or ''}\t"
    )
    out.append(
        "\tنام سامانه مربوط به خدمت در صورت الکترونیکی بودن همه یا بخشی از آن:"
        f"\t{c.system_name or ''}\t"
    )
    out.append("مراحل خدمت\tنوع ارائه\tرسانه ارتباطی خدمت\t")
    for name in STAGE_NAMES:
        stage = getattr(c.stages, name) if c.stages else None
        electronic = stage.electronic if stage else None
        kind = (
            f"{ON if electronic else OFF} الکترونیکی "
            f"{ON if electronic is False else OFF} غیرالکترونیکی"
        )
        channels = boxes(CHANNELS, stage.channels if stage else [])
        out.append(f"{STAGE_LABELS[name]}\t{kind}\t{channels}\t")
    out.append("۷- ارتباط خدمت با سایر سامانه ها (بانکهای اطلاعاتی) در دستگاه")
    out.append(_row(["نام سامانه های دیگر", "فیلدهای مورد تبادل", *_heads()], reversed_))
    for inner in c.internal_exchanges or [_NONE_INTERNAL]:
        cells = [inner.system or "-", _fields(inner.fields)]
        out.append(_row([*cells, *_marks(inner.inquiry)], reversed_))
    out.append("۸- ارتباط خدمت با سایر دستگاههای دیگر")
    heads = ["نام دستگاه دیگر", "نام سامانه های دستگاه دیگر", "فیلدهای مورد تبادل"]
    out.append(_row([*heads, "مبلغ (در صورت پرداخت هزینه)", *_heads()], reversed_))
    for outer in c.external_exchanges or [_NONE_EXTERNAL]:
        cells = [outer.agency or "-", outer.system or "-", _fields(outer.fields), fa(outer.fee)]
        out.append(_row([*cells, *_marks(outer.inquiry)], reversed_))
    items = " ".join(f"{fa(str(i))}- {p}" for i, p in enumerate(c.processes, 1))
    out.append(f"۹- عناوین فرایندهای خدمت\t\t{items}\t")
    out.append("۱۰- نمودار ارتباطی فرایندهای خدمت ندارد")
    f = c.form_filler
    out.append(
        f"نام و نام خانوادگی تکمیل کننده فرم: {f.name if f else ''}\t\t"
        f"تلفن: {fa(f.phone) if f and f.phone else ''}\t\t"
        f"پست الکترونیک: {f.email if f and f.email else ''}\t\t"
        f"واحد مربوط: {f.unit if f and f.unit else ''}"
    )
    if c.licenses:
        out.extend(_form2(c, reversed_))
    return "\n".join(out) + "\n"


# The row a form shows for "no exchange": its names say ندارد (none).
_NONE_INTERNAL = InternalExchange(system="ندارد")
_NONE_EXTERNAL = ExternalExchange(agency="ندارد", system="ندارد")


def _heads() -> list[str]:
    return [word for _key, word in INQUIRY_HEADS]


def _marks(inquiry: str | None) -> list[str]:
    return [ON if key == inquiry else OFF for key, _word in INQUIRY_HEADS]


def _fields(fields: Sequence[str]) -> str:
    return "، ".join(fields)


def _form2(c: Card, reversed_: bool) -> list[str]:
    out = ["", "فرم شماره دو", ""]
    heads = [
        "ردیف", "عنوان دستگاه استعلام شونده", "موارد استعلام با ذکر نام **", "سایر ***",
        "مدارک مورد نیاز", "مدت اعتبار", "هزینه (ریال)", "زمان انجام کار (روز/ ساعت)",
        "الکترونیکی", "غیر الکترونیکی", "توضیحات",
    ]  # fmt: skip
    out.append("\t".join(reversed(heads) if reversed_ else heads))
    for i, row in enumerate(c.licenses, 1):
        cells = [
            fa(str(i)), row.get("inquired_agency", ""), row.get("inquiry", ""), "", "",
            fa(row.get("validity")), fa(row.get("fee")), "", row.get("process", ""), "", "",
        ]  # fmt: skip
        out.append("\t".join(reversed(cells) if reversed_ else cells))
    return out


def _web(c: Card) -> str:
    def words(options: Sequence[tuple[str, str]], checked: Sequence[str] | None) -> str:
        return "، ".join(word for key, word in options if key in (checked or ()))

    pairs = [
        ("عنوان خدمت", c.title),
        ("عنوان زیرخدمت", c.subservice_title),
        ("شناسه خدمت", fa(c.service_id)),
        ("شناسه زیرخدمت", fa(c.subservice_id) or None),
        ("نام دستگاه اجرایی", c.agency),
        ("نام دستگاه مادر", c.parent_agency),
        ("شرح خدمت", c.description),
        ("نوع خدمت", words(SERVICE_TYPES, c.service_types)),
        ("نوع مخاطبین", c.audience),
        ("ماهیت خدمت", words(NATURE, c.nature)),
        ("سطح خدمت", words(LEVELS, c.levels)),
        ("مدارک لازم برای انجام خدمت", c.required_documents),
        ("قوانین و مقررات بالادستی", c.legal_basis),
        ("متوسط مدت زمان ارائه خدمت", fa(c.duration)),
        ("هزینه ارائه خدمت", fa(c.fee)),
        ("آدرس دقیق و مستقیم خدمت در وبگاه", c.url),
        ("نام سامانه مربوط به خدمت", c.system_name),
    ]
    out = [f"{label} : {value}" for label, value in pairs if value]
    if c.internal_exchanges:
        out.append("۷- ارتباط خدمت با سایر سامانه ها در دستگاه")
        for inner in c.internal_exchanges:
            out.append(
                f"نام سامانه : {inner.system or '-'} | فیلدهای مورد تبادل : {_fields(inner.fields)}"
                f" | نوع استعلام : {INQUIRY_WORDS.get(inner.inquiry or '', '-')}"
            )
    if c.external_exchanges:
        out.append("۸- ارتباط خدمت با سایر دستگاههای دیگر")
        for x in c.external_exchanges:
            fee = f" | مبلغ : {fa(x.fee)}" if x.fee else ""
            out.append(
                f"نام دستگاه دیگر : {x.agency or '-'} | نام سامانه : {x.system or '-'}"
                f" | فیلدهای مورد تبادل : {_fields(x.fields)}{fee}"
                f" | نوع استعلام : {INQUIRY_WORDS.get(x.inquiry or '', '-')}"
            )
    if c.processes:
        out.append("۹- عناوین فرایندهای خدمت")
        out.extend(f"{fa(str(i))}- {p}" for i, p in enumerate(c.processes, 1))
    return "\n".join(out) + "\n"
