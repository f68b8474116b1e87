"""Translating objects in tests: one language's texts at a time."""


def translate(obj, language: str, **texts) -> None:
    obj.set_current_language(language)
    for name, value in texts.items():
        setattr(obj, name, value)
    obj.save_translations()
    obj.set_current_language("de")


def translate_event_fully(event, language: str) -> None:
    """Every text the factory fills in German, in `language`."""
    translate(
        event,
        language,
        title=f"{event.title} [{language}]",
        motto=f"motto [{language}]",
        description=f"description [{language}]",
    )
