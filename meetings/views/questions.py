"""Questions from the public: a body's page (how to ask, the form, past
questions and their answers), the confirmation link, and the clerk's queue
under /manage/.

No account is needed to ask. A question is held until its asker follows
the signed link e-mailed to them; a hidden field and a limit per connection
and per address keep robots out without a third-party captcha.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kcsp.alerts.subscribing import SendingLimit
from kcsp.confirming import (
    SentPage,
    confirmation_form_page,
    confirmation_page,
)
from kcsp.formatting import long_date
from kcsp.links import Link
from kcsp.paging import row_id
from meetings import selectors, services
from meetings.forms import QuestionAnswerForm, QuestionForm, QuestionRejectForm
from meetings.models import Body, Meeting, PublicQuestion
from meetings.views.manage import clerks

LIMIT = SendingLimit(
    scope="questions",
    per_hour="QUESTIONS_PER_HOUR",
    per_day="QUESTIONS_PER_HOUR",
    busy="Too many questions were sent from your connection. Try again in an hour.",
)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def questions(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.body_for_page(slug=slug, user=request.user)
    today = timezone.localdate()
    open_meetings = (
        selectors.question_meetings(body=body, user=request.user, today=today)
        if body.accepts_questions
        else []
    )
    form = QuestionForm(
        request.POST if request.method == "POST" else None,
        meetings=open_meetings,
        word_limit=body.question_word_limit,
    )
    context = {
        "body": body,
        "form": form,
        "open_meetings": [
            (m, long_date(services.question_deadline(m))) for m in open_meetings
        ],
        "past": selectors.questions_page(body=body, user=request.user),
    }
    if request.method == "POST" and not open_meetings:
        raise Http404("This body is not taking questions.")
    return confirmation_form_page(
        request,
        form,
        limit=LIMIT,
        send=lambda email: services.question_ask(
            meeting=form.meetings[form.cleaned_data["meeting"]],
            name=form.cleaned_data["name"],
            email=email,
            question=form.cleaned_data["question"],
            name_published=form.cleaned_data["name_published"],
            today=today,
        ),
        page=("meetings/questions/index.html", context),
        sent=SentPage(
            hours=services.QUESTION_LINK.hours,
            purpose=f"send your question to the clerk of the {body.name}",
            onward=_onward(body),
        ),
    )


def _onward(body: Body | None) -> Link:
    """Where the asker starts again: the body's questions, or the list of
    committees and boards when the link names no question."""
    if body is None:
        return Link(reverse("meetings:body_list"), "Back to committees and boards")
    return Link(
        reverse("meetings:questions", args=[body.slug]), "Back to public questions"
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def question_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link shows a button; only pressing it confirms."""
    return confirmation_page(
        request,
        token,
        link=services.QUESTION_LINK,
        confirm=services.question_confirm,
        name="question",
        templates=(
            "meetings/questions/confirm.html",
            "meetings/questions/confirmed.html",
        ),
        onward=lambda question: _onward(question.meeting.body if question else None),
    )


# The clerk's queue ------------------------------------------------------------


def _question(request: HttpRequest, body: str, key: str, pk: int) -> PublicQuestion:
    meeting = selectors.meeting_to_manage(body_slug=body, key=key, user=request.user)
    return get_object_or_404(
        PublicQuestion.objects.select_related("meeting__body").exclude(
            status=PublicQuestion.Status.UNCONFIRMED
        ),
        pk=pk,
        meeting=meeting,
    )


@clerks
def queue(request: HttpRequest, body: str, key: str) -> HttpResponse:
    meeting = selectors.meeting_to_manage(body_slug=body, key=key, user=request.user)
    return _queue_page(request, meeting)


def _queue_page(
    request: HttpRequest, meeting: Meeting, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "meetings/manage/questions.html",
        {
            "meeting": meeting,
            "queue": selectors.question_queue(meeting=meeting),
            "reject_form": QuestionRejectForm(),
        },
        status=status,
    )


@clerks
@require_POST
def question_decide(request: HttpRequest, body: str, key: str, pk: int) -> HttpResponse:
    """Accept, reject with a reason, group with another question, or answer."""
    question = _question(request, body, key, pk)
    action = request.POST.get("action", "")
    try:
        if action == "accept":
            services.question_accept(question=question)
            messages.success(request, "Question accepted for the agenda.")
        elif action == "reject":
            form = QuestionRejectForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Give the reason the asker will be told.")
            services.question_reject(
                question=question, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Question rejected; the asker has been told.")
        elif action == "group":
            lead_pk = request.POST.get("lead", "")
            lead = None
            if lead_pk:
                lead = PublicQuestion.objects.filter(
                    pk=row_id(lead_pk) or 0,
                    meeting=question.meeting,
                    status=PublicQuestion.Status.ACCEPTED,
                ).first()
                if lead is None:
                    raise ValidationError(
                        "Choose an accepted question of this meeting."
                    )
            services.question_group(question=question, lead=lead)
            messages.success(request, "Grouping saved.")
        elif action == "answer":
            answer = QuestionAnswerForm(request.POST)
            answer.is_valid()
            services.question_answer(
                question=question, answer=answer.cleaned_data.get("answer", "")
            )
            messages.success(request, "Answer saved.")
        else:
            raise ValidationError("Choose what to do with the question.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _queue_page(request, question.meeting, status=400)
    return redirect("manage:questions", body, key)
