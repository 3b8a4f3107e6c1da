import json

import pytest

from standins.scripts import parse_scripts

SCRIPTS = {
    "unscripted": [{"callee": "answers", "says": "Yes", "tools": [{"name": "end_call"}]}],
    "numbers": {
        "+15005550104": [{"callee": "answers", "answerAfterMs": 10}, {"callee": "never_answers"}],
        "+15005550103": [{"callee": "no_agent"}],
    },
}


def test_each_attempt_has_its_script_and_the_last_repeats():
    scripts = parse_scripts(json.dumps(SCRIPTS))
    assert scripts.for_call("+15005550104", 1).answer_after_ms == 10
    assert scripts.for_call("+15005550104", 2).callee == "never_answers"
    assert scripts.for_call("+15005550104", 7).callee == "never_answers"
    assert scripts.for_call("+14155550123", 3).tools[0].name == "end_call"
    assert scripts.for_call("+15005550103", 1).callee == "no_agent"


def test_an_unknown_callee_behaviour_is_refused():
    with pytest.raises(ValueError, match="callee must be one of"):
        parse_scripts(json.dumps({"unscripted": [{"callee": "sings"}], "numbers": {}}))


def test_a_number_needs_a_script():
    with pytest.raises(ValueError, match="at least one"):
        parse_scripts(json.dumps({"unscripted": [{"callee": "answers"}], "numbers": {"+15005550101": []}}))
