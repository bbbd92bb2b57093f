from django.db import models


class StandardItem(models.TextChoices):
    """Items that appear on (almost) every agenda, pre-filled for the clerk."""

    NONE = "", "Not a standard item"
    APOLOGIES = "apologies", "Apologies and substitutes"
    SUBSTITUTES = "substitutes", "Substitutes"
    DECLARATIONS = "declarations", "Declarations of interest"
    PREVIOUS_MINUTES = "previous_minutes", "Minutes of the previous meeting"
    MEETING_DATES = "meeting_dates", "Dates of future meetings"
    PUBLIC_QUESTIONS = "public_questions", "Public questions"
