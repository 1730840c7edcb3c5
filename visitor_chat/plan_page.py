"""The career plan's own page (/plan): the plan built again from the answers in its link.

The kiosk shows this link as a QR code, for the visitor to keep their plan on their own phone; the widget's
"keep my plan" shares it. The link holds only the options chosen (actions/orientation/plan_link.py): the page
stores nothing and needs no account. A link that was cut or changed gets a clear page, in both languages.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from actions.orientation import plan, plan_link
from visitor_chat.router import templates, texts

router = APIRouter(tags=["visitor chat"])
HEADERS = {
    # The page runs no script and loads nothing from elsewhere.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@router.get(plan_link.PATH, response_class=HTMLResponse, include_in_schema=False)
def plan_page(request: Request) -> HTMLResponse:
    """The plan of the answers in the query (see plan_link.link), in the language it names."""
    query = dict(request.query_params)
    css_url = request.url_for("visitor-static", path="plan.css").path
    try:
        lang = plan_link.language_of(query)
        built = plan.build(plan_link.answers_from(query), lang)
    except plan_link.InvalidLink:
        context = {"t": texts()["plan_page"], "css_url": css_url}
        return templates.TemplateResponse(request, "plan_invalid.html", context, status_code=400, headers=HEADERS)
    cards = plan.cards(built)
    context = {
        "t": texts()["plan_page"][lang],
        "lang": lang,
        "parts": {
            part: [card for card in cards if card["part"] == part] for part in ("summary", "step", "interests", "end")
        },
        "css_url": css_url,
    }
    return templates.TemplateResponse(request, "plan.html", context, headers=HEADERS)
