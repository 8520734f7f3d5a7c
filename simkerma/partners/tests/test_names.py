from hypothesis import given
from hypothesis import strategies as st

from simkerma.partners.names import name_key, name_tokens, similarity

# Names as people type them: words, legal forms, punctuation and spacing in any mix.
WORDS = st.sampled_from(
    [
        "PT",
        "pt.",
        "Tbk",
        "(Persero)",
        "CV",
        "Batamindo",
        "Industrial",
        "Park",
        "Sinar",
        "Mas",
        "Ltd.",
        "the",
        "Co",
        "42",
    ]
)
SEPARATORS = st.sampled_from([" ", ", ", ". ", "  ", " - ", "/"])


@st.composite
def typed_names(draw):
    words = draw(st.lists(WORDS, min_size=1, max_size=6))
    seps = draw(st.lists(SEPARATORS, min_size=len(words), max_size=len(words)))
    return "".join(sep + word for sep, word in zip(seps, words, strict=True))


def test_it_gives_the_same_key_to_legal_form_variants():
    assert name_key("PT. Batamindo") == "batamindo"
    assert name_key("Batamindo, PT") == "batamindo"
    assert name_key("pt batamindo") == "batamindo"
    assert name_key("PT Batamindo Tbk") == "batamindo"


def test_it_ignores_word_order_case_and_punctuation():
    assert name_key("Sinar Mas Group") == name_key("group, SINAR mas") == "group mas sinar"


def test_it_reads_dotted_initials_as_one_word():
    assert name_key("P.T. Batamindo") == "batamindo"
    assert name_key("C.V. Maju Jaya") == name_key("CV Maju Jaya") == "jaya maju"


def test_it_strips_accents():
    assert name_key("Universität Stuttgart") == "stuttgart universitat"


def test_it_keeps_legal_forms_when_the_name_has_nothing_else():
    assert name_tokens("PT") == ["pt"]
    assert name_key("The Company Ltd") == "company ltd the"


def test_it_gives_different_companies_different_keys():
    assert name_key("PT Batamindo") != name_key("PT Batam Indah")
    assert name_key("PT Astra International") != name_key("PT Astra Honda Motor")


def test_it_scores_variants_as_identical_and_strangers_low():
    assert similarity("PT. Batamindo", "Batamindo, PT") == 1.0
    assert similarity("PT Astra International", "PT Astra Honda Motor") < 0.85
    assert similarity("PT Bank Mandiri", "PT Bank Negara Indonesia") < 0.85


def test_it_scores_a_typo_as_a_near_duplicate():
    assert 0.85 <= similarity("PT Batamindo Industrial", "PT Batamindo Industial") < 1.0


def test_it_scores_zero_when_a_name_has_no_letters():
    assert name_key("---") == ""
    assert similarity("---", "PT Batamindo") == 0.0
    assert similarity("PT Batamindo", "") == 0.0


@given(st.text(max_size=80))
def test_it_is_idempotent_on_any_text(name):
    key = name_key(name)
    assert name_key(key) == key


@given(typed_names())
def test_it_is_idempotent_on_typed_names(name):
    key = name_key(name)
    assert name_key(key) == key
    assert key == key.strip()
    assert "  " not in key


@given(st.lists(WORDS, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_it_does_not_depend_on_word_order(words, rng):
    shuffled = list(words)
    rng.shuffle(shuffled)
    assert name_key(" ".join(words)) == name_key(" ".join(shuffled))


@given(typed_names())
def test_it_finds_a_name_identical_to_itself_in_any_case(name):
    if name_key(name):
        assert similarity(name, name.upper()) == 1.0
        assert similarity(name, name.lower()) == 1.0
