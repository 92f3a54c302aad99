"""Pure renderers: a result object in, terminal text or Slack Block Kit out."""
