"""The Slack edge: a bolt app whose listeners parse, call one service function, and render."""
