"""Write N realistic Q&A records shaped like the seeds in data/, with varied text."""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = [
    "cancer",
    "tumour",
    "cell",
    "therapy",
    "chemotherapy",
    "immune",
    "response",
    "radiation",
    "dose",
    "patient",
    "treatment",
    "remission",
    "relapse",
    "biopsy",
    "stage",
    "grade",
    "marrow",
    "blood",
    "platelet",
    "leukemia",
    "lymphoma",
    "surgery",
    "metastasis",
    "receptor",
    "antibody",
    "protein",
    "gene",
    "mutation",
    "signal",
    "pathway",
    "clinical",
    "trial",
    "outcome",
    "survival",
    "risk",
    "factor",
    "diagnosis",
    "screening",
    "symptom",
    "palliative",
    "adjuvant",
    "neoadjuvant",
    "toxicity",
    "nausea",
    "fatigue",
    "infection",
    "recovery",
    "cycle",
    "regimen",
    "target",
    "growth",
    "division",
    "apoptosis",
]
SUBJECTS = ["Medicine", "Health Studies", "Biology", "Pharmacology", "Medicine::Oncology"]


def sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def answer(rng: random.Random, scale: int = 1) -> str:
    """An answer of about 1.4 KB times `scale`: its paragraphs and list items `scale` times as
    long (the same draws as before for `scale` 1)."""

    def sentences(count: int) -> str:
        return " ".join(sentence(rng) for _ in range(count))

    parts = [sentences(2 * scale)]
    for number in range(1, rng.randint(3, 7)):
        parts.append(f"{number}. **{rng.choice(WORDS).title()}**: {sentences(2 * scale)}")
    parts.append("Overall, " + sentences(scale).lower())
    return "\\n\\n".join(parts)


def record(rng: random.Random, number: int, scale: int = 1) -> str:
    question = f"What is the role of {' '.join(rng.choices(WORDS, k=4))} (case {number})?"
    keywords = ", ".join(rng.sample(WORDS, 10))
    related = "".join(
        f"related_article{i}:\n    id: {rng.randint(100000, 999999)}\n    title: >-\n"
        f"        {sentence(rng, 6, 10)[:-1]}?\n    subject: {rng.choice(SUBJECTS)}\n"
        f"    url: /learn/x/questions/{rng.randint(1, 10**6)}\n"
        for i in range(1, 6)
    )
    return (
        "---\n_schema: default\n"
        f"id: {1_000_000 + number}\ndate: 2025-02-17\n"
        f"title: >-\n    {question}\narticle_title: >-\n    {question}\n"
        "date_format: MMM DD, YYYY\npost_on_text: Posted on\n"
        "seo:\n  title: QuickTakes | Medicine\n"
        f"  page_description: >-\n    {sentence(rng, 20, 30)}\n"
        f"  page_keywords: >-\n    {keywords}\n"
        "author: QuickTakes\n"
        f"question: >-\n    {question}\n"
        f"answer: >-\n    {answer(rng, scale)}\n"
        f"subject: {rng.choice(SUBJECTS)}\n"
        f"file_name: case-{number}.md\nurl: /learn/medicine/questions/case-{number}\n"
        f"score: -1.0\n{related}---\n\n&nbsp;\n"
    )


def write_corpus(folder: Path, count: int, seed: int = 1987, scale: int = 1) -> list[Path]:
    """`count` records in `folder`, 500 to a sub-folder like a real collection of notes; their
    answers about 1.4 KB times `scale`."""
    rng = random.Random(seed)
    paths = []
    for number in range(count):
        sub = folder / f"part{number // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"record-{number:06d}.md"
        path.write_text(record(rng, number, scale), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    write_corpus(target, count)
    print(f"wrote {count} records under {target}")
