"""Arabic for the rules' messages and explanation, keyed like `messages.MESSAGES` and `explain.PHRASES`.

The Swedish and English texts stay beside their keys in those catalogues; this is the third language,
kept apart so the two-language tables are untouched. Every key there has an entry here with the same
placeholders (tests/rules/test_arabic.py). Legal references stay in Swedish, as the law is cited.
"""

from __future__ import annotations

from bistand.rules.ages import BRACKET_WORDS

MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)

# The age brackets in Arabic are written with the others in `ages`.
BRACKETS = {key: words["ar"] for key, words in BRACKET_WORDS.items()}

PHRASES = {
    "title": "المساعدة المعيشية (försörjningsstöd) عن شهر {month}",
    "entitled": "يحق لك الحصول على {amount} كمساعدة معيشية عن شهر {month}.",
    "not_entitled": "لا يحق لك الحصول على مساعدة معيشية عن شهر {month}.",
    "intro": (
        "المساعدة المعيشية أموال لما تحتاجه الأسرة للعيش عندما لا يكفي مالها. نحسب ما تحتاجه الأسرة، "
        "ثم نطرح دخل الأسرة."
    ),
    "how": "هكذا حسبنا:",
    "row_norm": "المعيار الوطني",
    "row_costs": "تكاليف أخرى",
    "row_income": "الدخل",
    "row_result": "النتيجة",
    "norm_head": "1. المعيار الوطني (riksnorm): {amount}",
    "norm_intro": (
        "المعيار الوطني مبلغ تحدده الحكومة كل عام. وهو يغطي الطعام والملابس والأحذية والترفيه واللعب "
        "والنظافة والهاتف والجريدة اليومية ومستلزمات المنزل. يعتمد المبلغ على عدد أفراد الأسرة وأعمار "
        "الأطفال وما إذا كانوا يتناولون الغداء في المنزل."
    ),
    "couple": "شخصان بالغان يعيشان معًا: {amount}.",
    "single": "شخص بالغ واحد: {amount}.",
    "child": "الطفل {id}: {amount}.",
    "child_age": "عمر الطفل {age} سنة في {day}. لذلك يُطبَّق مبلغ الأطفال {bracket}.",
    "child_born": "وُلد الطفل في {day} ويُحسب كأقل من سنة.",
    "birthday": (
        "يبلغ الطفل {next} سنة في {day}. لكن العمر يُحسب في اليوم الأول من الشهر، لذا يُطبَّق هذا المبلغ "
        "على الشهر كله."
    ),
    "youth": "يُحسب الشباب في عمر 19 أو 20 سنة هنا فقط إذا كانوا يعيشون في المنزل ويدرسون في المرحلة الثانوية.",
    "no_lunch": (
        "لا يتناول الطفل الغداء في المنزل في أيام الأسبوع، مثلًا لأنه يأكل في الروضة. لذلك يُطبَّق المبلغ "
        "الأقل للأطفال الذين لا يتناولون الغداء في المنزل."
    ),
    "part_month": "يعيش الطفل في الأسرة {days} يومًا من أيام الشهر الـ {in_month}. لذلك نحتسب {days}/{in_month} من {full}.",
    "common": "التكاليف المشتركة لأسرة من {persons} أشخاص: {amount}.",
    "common_one": "التكاليف المشتركة لأسرة من شخص واحد: {amount}.",
    "common_what": "هذه أشياء تتشاركها الأسرة كلها، مثل الهاتف والجريدة ومستلزمات المنزل.",
    "common_large": (
        "للأسر التي يزيد عدد أفرادها على 7 نضيف {step} عن كل شخص فوق السبعة. وهذا هو الفرق بين أسرة من 6 "
        "وأسرة من 7 أشخاص: {seven} + {extra} × {step} = {full}."
    ),
    "common_share": (
        "في الأسرة {persons} أشخاص، منهم {members} في هذا الحساب. لذلك نحتسب {members}/{persons} من "
        "التكاليف المشتركة: {amount}."
    ),
    "norm_rule": "القاعدة: {law}، بمبالغ عام {year}{source}.",
    "costs_head": "2. تكاليف أخرى: {amount}",
    "costs_intro": "هذه تكاليف لا يغطيها المعيار الوطني. وجدناها معقولة ونحتسبها.",
    "costs_none": "لا نحتسب أي تكاليف أخرى هذا الشهر.",
    "rule": "القاعدة: {law}.",
    "income_head": "3. الدخل: {amount}",
    "income_intro": (
        "تغطي المساعدة المعيشية ما لا يكفيه مال الأسرة. لذلك نطرح دخل الأسرة بعد الضريبة. أحيانًا لا "
        "يُحتسب جزء من الراتب، وعندها يُذكر ذلك أدناه."
    ),
    "income_none": "ليس للأسرة دخل هذا الشهر.",
    "income": "{label} ({who} {id}): {amount}.",
    "jobb_head": "حافز العمل (jobbstimulans): لا يُحتسب {amount} من الراتب.",
    "jobb_why": (
        "حصلت الأسرة على مساعدة معيشية ستة أشهر متتالية، من {run_from} إلى {run_to}. لذلك لا نحتسب "
        "{percent} بالمئة من الراتب لمدة سنتين، من {from_} إلى {to}. الغرض من القاعدة أن يكون العمل مجديًا. "
        "نحتسب {counted} من الراتب."
    ),
    "child_pay_head": "راتب الطفل نفسه: لا يُحتسب {amount}.",
    "child_pay_why": (
        "يجوز للطفل الذي يعيش في المنزل أن يكسب حتى مبلغ أساسي للأسعار (prisbasbelopp) في السنة دون أن "
        "تنقص المساعدة. تحدد الحكومة هذا المبلغ كل عام. الحد لعام {year} هو {limit}."
    ),
    "child_pay_earlier": "كسب الطفل {earlier} في وقت سابق من هذا العام. المتبقي من الحد هو {left}.",
    "child_pay_counted": "الجزء الذي يزيد على الحد يُحتسب دخلًا: {counted}.",
    "result_head": "4. النتيجة",
    "rounded": "نقرّب إلى كرونات كاملة: {amount}.",
    "exactly": "يغطي الدخل تمامًا ما تحتاجه الأسرة. لذلك لا توجد مساعدة معيشية.",
    "surplus": "الدخل أكثر بمقدار {amount} مما تحتاجه الأسرة. لذلك لا يحق لك الحصول على مساعدة معيشية عن شهر {month}.",
    "note_head": "يرجى الانتباه:",
    "who_applicant": "مقدم الطلب",
    "who_co_applicant": "مقدم الطلب المشارك",
    "who_child": "الطفل",
}

# Line labels by rule (the engine's own labels are Swedish and English).
LABELS = {
    "costs.rent": "تكلفة السكن (الإيجار)",
    "costs.electricity": "كهرباء المنزل",
    "costs.home_insurance": "تأمين المنزل",
    "costs.work_travel": "التنقل إلى العمل",
    "costs.union_fee": "رسوم النقابة",
    "costs.unemployment_fund_fee": "رسوم صندوق البطالة",
    "costs.childcare": "رسوم الروضة أو مركز الترفيه",
    "costs.medical": "الرعاية الطبية",
    "costs.medicine": "الأدوية",
    "costs.dental": "طب الأسنان",
    "costs.glasses": "النظارات",
    "costs.other": "تكلفة أخرى معتمدة",
    "income.salary": "الراتب بعد الضريبة",
    "income.child_allowance": "إعانة الأطفال",
    "income.housing_allowance": "بدل السكن",
    "income.maintenance_support": "دعم النفقة",
    "income.sickness_benefit": "تعويض المرض",
    "income.parental_benefit": "تعويض الوالدين",
    "income.unemployment_benefit": "تعويض صندوق البطالة",
    "income.activity_support": "دعم النشاط",
    "income.establishment_benefit": "تعويض التأسيس",
    "income.student_grant": "منحة الدراسة",
    "income.student_loan": "قرض الدراسة",
    "income.pension": "المعاش",
    "income.capital": "دخل رأس المال",
    "income.other": "دخل آخر",
}

MESSAGES = {
    "not_object": 'يجب أن تكون البيانات كائن JSON، مثلًا {{"month": "2021-03", "members": [...]}}.',
    "not_json": "لا يمكن قراءة البيانات بصيغة JSON: {detail}.",
    "required": "هذا الحقل مطلوب.",
    "must_be_object": "يجب أن يكون كائنًا ذا حقول.",
    "must_be_list": "يجب أن تكون قائمة.",
    "must_be_text": "يجب أن يكون نصًا.",
    "must_be_bool": "يجب أن تكون القيمة true (نعم) أو false (لا).",
    "month_format": "اكتب الشهر بالصيغة YYYY-MM، مثلًا 2021-03.",
    "month_too_early": "لا يوجد في Bistånd معيار وطني (riksnorm) لشهر {month}. أول شهر يمكن حسابه هو {first}.",
    "month_too_late": (
        "المعيار الوطني (riksnorm) لعام {year} غير موجود في Bistånd بعد. آخر عام متوفر هو {last}. تحدد "
        "الحكومة معيار العام التالي في نوفمبر، وتضيفه البلدية بالأمر bistand norm import."
    ),
    "municipality_format": "يجب أن يتكون رمز البلدية من أربعة أرقام، مثلًا 1287.",
    "members_empty": "يجب أن يكون في الأسرة شخص واحد على الأقل: مقدم الطلب.",
    "member_id": 'يحتاج كل شخص إلى معرّف (id)، مثلًا "a".',
    "member_id_duplicate": 'المعرّف "{id}" مستخدم بالفعل لشخص آخر. يجب أن يكون لكل شخص معرّف خاص به.',
    "role_invalid": (
        "يجب أن يكون الدور applicant (مقدم الطلب) أو co_applicant (الزوج أو الزوجة أو الشريك المسجل أو "
        "الشريك المساكن) أو child (طفل)."
    ),
    "applicant_missing": "يجب أن يكون في الأسرة مقدم طلب (role: applicant).",
    "applicant_many": (
        "لا يمكن أن يكون هناك إلا مقدم طلب واحد. الزوج أو الزوجة أو الشريك المسجل أو الشريك المساكن "
        "يُسجَّل كمقدم طلب مشارك (co_applicant)."
    ),
    "co_applicant_many": "لا يمكن أن يكون هناك إلا مقدم طلب مشارك واحد (co_applicant).",
    "birth_date_format": "اكتب تاريخ الميلاد بالصيغة YYYY-MM-DD، مثلًا 2016-05-01.",
    "birth_date_future": "تاريخ الميلاد بعد الشهر الذي يخصه الحساب ({month}).",
    "child_too_old": (
        "يجب أن يكون عمر الطفل في الحساب أقل من 21 سنة في اليوم الأول من الشهر. عمر هذا الشخص {age} سنة. "
        "البالغ يكون مقدم الطلب أو مقدم الطلب المشارك أو له ملف خاص به."
    ),
    "days_invalid": "اكتب عدد الأيام عددًا صحيحًا من 1 إلى {days} (في {month_name} {days} يومًا).",
    "days_not_child": "عدد الأيام في الأسرة يخص فقط الطفل الذي يعيش جزءًا من الشهر عند الوالد الآخر.",
    "household_size_int": "يجب أن يكون حجم الأسرة عددًا صحيحًا، مثلًا 4.",
    "household_size_small": "لا يمكن أن تكون الأسرة أصغر من عدد الأشخاص في الملف ({members}).",
    "household_size_large": "يمكن أن يكون حجم الأسرة {max} شخصًا على الأكثر.",
    "cost_type_unknown": 'نوع تكلفة غير معروف "{value}". الأنواع المسموح بها: {allowed}.',
    "income_type_unknown": 'نوع دخل غير معروف "{value}". الأنواع المسموح بها: {allowed}.',
    "amount_number": "يجب أن يكون المبلغ رقمًا بالكرونة، مثلًا 7800 أو 7800.50.",
    "amount_negative": "لا يمكن أن يكون المبلغ سالبًا.",
    "amount_decimals": "يمكن أن يكون للمبلغ منزلتان عشريتان على الأكثر (أوره).",
    "amount_too_large": "المبلغ كبير بشكل غير معقول (أكثر من {max} كرونة).",
    "income_member_unknown": 'لا يوجد في الأسرة شخص بالمعرّف "{id}".',
    "earlier_not_child_salary": "يُستخدم الدخل السابق هذا العام فقط لراتب الطفل نفسه (type: salary لطفل).",
    "assistance_month_not_before": "يجب أن يكون شهرًا قبل {month}: القائمة تضم الأشهر التي تسبق الشهر المحسوب.",
    "prisbasbelopp_missing": (
        "المبلغ الأساسي للأسعار (prisbasbelopp) لعام {year} غير موجود في Bistånd بعد. وهو مطلوب لحساب راتب "
        "الطفل. تضيفه البلدية بالأمر bistand norm import."
    ),
    "unknown_field": "الحقل {name} ليس من بيانات الحساب ولا يُخمَّن. الحقول المسموح بها هنا: {allowed}.",
    "lunch_ignored": "{field} يخص فقط الأطفال من 0 إلى 6 سنوات. عمر الطفل {age} سنة، لذلك لم يُستخدم.",
    "unverified_norm": "لم يُتحقق من المعيار الوطني لعام {year} مقابل نص اللائحة (SFS). {reasons}",
    "unverified_record": "لم يُتحقق من {name} بتاريخ {date} مقابل النص الرسمي: {note}",
    "reason_D": "المبالغ محسوبة من مبالغ السنوات السابقة وفق زيادة الحكومة.",
    "reason_C": "المبالغ مأخوذة من مصدر ثانوي، وليس من اللائحة.",
    "reason_B": "المبالغ مأخوذة من نسخة بلدية للجدول الرسمي.",
    "reason_?": "لم يُتحقق من المصدر.",
    "reason_A": "المبالغ مأخوذة من البيانات الرسمية للجهة المختصة.",
    "adult_too_young": (
        "يجب أن يكون مقدم الطلب أو مقدم الطلب المشارك قد بلغ 18 عامًا على الأقل. عمر هذا الشخص {age} سنة. "
        "يُدرج الطفل كطفل (role: child) في طلب وليّ أمره."
    ),
    "assistance_months_adult": (
        "تُذكر أشهر الحصول على försörjningsstöd للبالغين فقط (لا ينطبق jobbstimulans على دخل الأطفال)."
    ),
    "birth_date_too_early": "لا يمكن أن يكون تاريخ الميلاد {date} صحيحًا. اكتب تاريخًا من 1900-01-01 أو بعده.",
    "in_school_not_young_adult": "تنطبق معلومة المدرسة الثانوية فقط على من بلغ 18 عامًا ولم يبلغ 21 عامًا.",
    "school_unknown": (
        "اذكر ما إذا كان الشاب ({age} سنة) يدرس في المدرسة الثانوية: in_school true أو false. لا ينطبق "
        "معيار الطفل ولا إعفاء راتب الطفل إلا أثناء الدراسة في المدرسة الثانوية. إذا لم يكن ذلك معروفًا "
        "فسيقرر موظف."
    ),
    "young_adult_own_case": (
        "الشاب الذي بلغ 18 عامًا ولا يدرس في المدرسة الثانوية لا يُحسب طفلًا في معيار الأسرة. عمر هذا "
        "الشخص {age} سنة، ويمكنه التقدم بطلب försörjningsstöd في ملف خاص به."
    ),
}
