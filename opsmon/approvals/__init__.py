"""The one review engine (routes, steps, 或签/会签, rounds) every kind of approval runs on."""
