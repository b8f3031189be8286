"""The review applications: notebook widgets, the headless notebook runner, notebook-to-HTML and
the meeting report. Builds on every earlier stage; the CLI (``exoreview.cli``) sits beside it."""
