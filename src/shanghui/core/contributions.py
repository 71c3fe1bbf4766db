"""What each app adds to the pages that look across apps: the back-office sidebar and the
member tab bar, the 工作台's figures, the secretariat's to-do list (待办), the entries of a
member's 我的 page, the sections of a member's record — and the job kinds a role may follow.

The kernel names no app. It holds one ``Slot`` per place and the type of the entries that go
there; each app registers its own entries in its ``AppConfig.ready``
(``OFFICE_NAV.register(NavItem(...))``) and the page that shows a slot reads it
(``slot.visible_to(role)``): the top floor (``shanghui.site``) for the shell and the dashboard,
the app that owns a page for its own slot (``accounts`` the 我的 page, ``members`` a member's
record). An entry is registered once per key (``ready`` may run more than once in tests);
a slot lists its entries by ``order``, then by registration.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from django.urls import reverse
from django.utils.functional import Promise

from shanghui.core.types import AppTenant, Position, Tenant

# Whether a role may see an entry (the page it leads to checks again).
Visibility = Callable[[Position | None], bool]


def everyone(role: Position | None) -> bool:
    return True


class Entry(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def order(self) -> int: ...

    @property
    def visible_to(self) -> Visibility: ...


E = TypeVar("E", bound=Entry)


class Slot(Generic[E]):
    """A named place apps fill with entries of one type."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[E] = []

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {len(self._entries)} entries>"

    def register(self, entry: E) -> None:
        if all(known.key != entry.key for known in self._entries):
            self._entries.append(entry)
            self._entries.sort(key=lambda known: known.order)

    def entries(self) -> list[E]:
        return list(self._entries)

    def visible_to(self, role: Position | None) -> list[E]:
        """The entries ``role`` may see, in their order."""
        return [entry for entry in self._entries if entry.visible_to(role)]


# --- Navigation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An entry of the back-office sidebar, the member tab bar or the platform's sidebar."""

    label: str | Promise
    # A URL name taking ``association_slug`` (none on the platform's sidebar).
    url_name: str
    visible_to: Visibility = everyone
    order: int = 100
    # The tab bar's icon (templates/base_mobile.html draws home, contacts, calendar, me).
    icon: str = ""
    # When the entry is lit: on every page under its URL ("below"), on its URL only ("exact"),
    # never (a link out of the back office), or also on the pages of the 我的 entries
    # ("personal", see PERSONAL_CENTER).
    lit: Literal["below", "exact", "never", "personal"] = "below"
    # A count shown on the entry, computed only when a page shows it. The back office's
    # sections also get the count of their to-do items (TODOS), without saying so here.
    badge: Callable[[Any], int] | None = None  # called with the request

    @property
    def key(self) -> str:
        return self.url_name


OFFICE_NAV: Slot[NavItem] = Slot("office_nav")  # shown to roles with VIEW_OFFICE
MOBILE_TABS: Slot[NavItem] = Slot("mobile_tabs")  # inside an association, to its members
PLATFORM_NAV: Slot[NavItem] = Slot("platform_nav")  # to the platform's operators


# --- The back office's 工作台 --------------------------------------------------------------


@dataclass(frozen=True)
class DashboardFigures:
    """Figures an app shows on the 工作台, computed by its own selectors for one association:
    template variables of the dashboard page (``site/office/dashboard.html`` names them)."""

    name: str
    figures: Callable[[AppTenant], Mapping[str, Any]]
    visible_to: Visibility = everyone
    order: int = 100

    @property
    def key(self) -> str:
        return self.name


DASHBOARD: Slot[DashboardFigures] = Slot("dashboard")


# --- The secretariat's to-do list (待办) ---------------------------------------------------


@dataclass(frozen=True)
class TodoItem:
    label: str
    count: int
    url: str
    # False: waiting on someone else (an applicant asked for documents); listed on the
    # dashboard, not counted on the sidebar.
    waiting_on_us: bool = True


@dataclass(frozen=True)
class TodoSource:
    """Work waiting in one back-office section: the dashboard lists its items with their
    counts and links; the sidebar shows next to the section the items waiting on us."""

    title: str | Promise
    # The URL name (taking ``association_slug``) of the section's sidebar entry (OFFICE_NAV).
    section: str
    visible_to: Visibility
    # The items of one association with a count above zero, in one small query.
    items: Callable[[AppTenant], list[TodoItem]]
    order: int = 100
    # The kinds of data (``core.cache_versions``) the counts depend on: the services that
    # change them bump these, and the counts are cached until they do (``site.todos``).
    # A source naming no kinds is computed on every request.
    versions: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.section


TODOS: Slot[TodoSource] = Slot("todos")


@dataclass(frozen=True)
class TodoGroup:
    source: TodoSource
    items: list[TodoItem]

    @property
    def waiting(self) -> int:
        return sum(item.count for item in self.items if item.waiting_on_us)


def todo_list(*, association: Tenant, role: Position | None) -> list[TodoGroup]:
    """The to-do groups ``role`` may act on in ``association``, empty ones left out: one
    query per source the role sees."""
    groups = [TodoGroup(source, source.items(association)) for source in TODOS.visible_to(role)]
    return [group for group in groups if group.items]


# --- A member's 我的 page --------------------------------------------------------------------

# The icons the 我的 page draws (accounts/_center_icon.html); anything else gets a dot.
ICONS = frozenset({"card", "ticket", "wallet", "photo", "heart"})


@dataclass(frozen=True)
class PersonalEntry:
    title: str | Promise
    # A URL name taking ``association_slug``: the app's own page about the signed-in person.
    url_name: str
    icon: str
    visible_to: Visibility
    order: int = 100

    @property
    def key(self) -> str:
        return self.url_name


PERSONAL_CENTER: Slot[PersonalEntry] = Slot("personal_center")


@dataclass(frozen=True)
class PersonalLink:
    title: str | Promise
    url: str
    icon: str


@dataclass(frozen=True)
class AccountLinks:
    """Links an app adds to the account's own page (/me/, outside any association) for one
    person — the back offices of the service providers they work in (我的服务商后台). Called
    only when the page shows them."""

    key: str
    links: Callable[[Any], list[PersonalLink]]  # called with the signed-in user
    visible_to: Visibility = everyone
    order: int = 100


ACCOUNT_LINKS: Slot[AccountLinks] = Slot("account_links")


def account_links(user: Any) -> list[PersonalLink]:
    """Every app's links for ``user`` on the account's own page, in their order."""
    return [link for source in ACCOUNT_LINKS.entries() for link in source.links(user)]


def personal_links(*, association_slug: str, role: Position | None) -> list[PersonalLink]:
    """The entries ``role`` sees on its 我的 page in the association ``association_slug``, in
    their order, with their URLs."""
    slug = {"association_slug": association_slug}
    return [
        PersonalLink(entry.title, reverse(entry.url_name, kwargs=slug), entry.icon)
        for entry in PERSONAL_CENTER.visible_to(role)
    ]


# --- A member's record in the back office ----------------------------------------------------


@dataclass(frozen=True)
class MemberPanel:
    """A section of a member's record that another app renders (what the member paid,
    attended): the record loads it from the app's own URL (htmx)."""

    title: str | Promise
    # A URL name taking ``association_slug`` and ``member_id``.
    url_name: str
    visible_to: Visibility
    order: int = 100

    @property
    def key(self) -> str:
        return self.url_name


MEMBER_PANELS: Slot[MemberPanel] = Slot("member_panels")


def member_panels(role: Position | None) -> list[MemberPanel]:
    """The panels ``role`` may see on a member's record, in their order."""
    return MEMBER_PANELS.visible_to(role)


# --- Background jobs -------------------------------------------------------------------------


@dataclass(frozen=True)
class JobKind:
    """Who may follow a job of a kind and fetch its result (``core.jobs.access_job``): the
    permission it takes to start it, checked *now* (a demoted administrator no longer reads
    the export they started). ``prefix`` covers its sub-kinds (``members.import`` covers
    ``members.import.validating``). A kind no app registers is readable by no one: an app
    that adds a kind of job registers it."""

    prefix: str
    visible_to: Visibility
    order: int = 100

    @property
    def key(self) -> str:
        return self.prefix


JOB_KINDS: Slot[JobKind] = Slot("job_kinds")


def may_read_job(role: Position | None, kind: str) -> bool:
    """Whether ``role`` may see a job of ``kind`` and its result; no for a kind no app
    registered."""
    for entry in JOB_KINDS.entries():
        if kind == entry.prefix or kind.startswith(f"{entry.prefix}."):
            return entry.visible_to(role)
    return False


# --- A member's home (/a/<slug>/) -------------------------------------------------------------


@dataclass(frozen=True)
class HomePanel:
    """A panel of a member's home in their association: what an app has for the member today
    (notices waiting for a 回执, latest news, the next events, dues due). The home
    (``members.views.members.space_home``) calls ``context`` with the request —
    ``request.association``, ``request.role`` (a role, never None) and ``request.user`` are
    set — and renders ``template`` with what it returns, or leaves the panel out when it
    returns None (nothing to show today). Keep ``context`` to one or two small queries: every
    panel is paid for on every visit of the home (``site/tests/test_member_home.py``)."""

    key: str
    title: str | Promise
    # Rendered with the page's context plus ``panel`` (this entry) and ``data`` (what
    # ``context`` returned).
    template: str
    context: Callable[[Any], Mapping[str, Any] | None]
    visible_to: Visibility = everyone
    order: int = 100


MEMBER_HOME: Slot[HomePanel] = Slot("member_home")


@dataclass(frozen=True)
class ShownPanel:
    panel: HomePanel
    data: Mapping[str, Any]


def member_home_panels(request: Any) -> list[ShownPanel]:
    """The panels of the member home that ``request.role`` may see and that have something
    to show, in their order."""
    shown = []
    for panel in MEMBER_HOME.visible_to(request.role):
        data = panel.context(request)
        if data is not None:
            shown.append(ShownPanel(panel, data))
    return shown


# --- A member's card (名片) ----------------------------------------------------------------


@dataclass(frozen=True)
class CardSection:
    """A section another app adds to a member's card (名片) — the honors the member agreed
    to show. ``context`` is called with the association and the member (one small query)
    and returns ``template``'s ``data``, or None to leave the section out."""

    key: str
    template: str
    context: Callable[[AppTenant, Any], Mapping[str, Any] | None]
    visible_to: Visibility = everyone
    order: int = 100


MEMBER_CARD: Slot[CardSection] = Slot("member_card")


@dataclass(frozen=True)
class ShownSection:
    section: CardSection
    data: Mapping[str, Any]


def member_card_sections(
    *, association: AppTenant, member: Any, role: Position | None
) -> list[ShownSection]:
    """The sections of ``member``'s card that ``role`` may see and that have something to
    show, in their order."""
    shown = []
    for section in MEMBER_CARD.visible_to(role):
        data = section.context(association, member)
        if data is not None:
            shown.append(ShownSection(section, data))
    return shown


# --- What a visitor sees at /a/<slug>/ -------------------------------------------------------


@dataclass(frozen=True)
class VisitorHome:
    """The page a person without a role in the association (anonymous, or signed in without
    a role there) gets at ``/a/<slug>/``, where members get their home: the association's
    public site. ``view`` is called as the view (request, association_slug). The first entry
    registered wins; with none, the visitor is sent to sign in."""

    key: str
    view: Callable[..., Any]
    order: int = 100
    visible_to: Visibility = everyone


VISITOR_HOME: Slot[VisitorHome] = Slot("visitor_home")


# --- Links on an association's public site (官网) ----------------------------------------------


@dataclass(frozen=True)
class PublicSiteLink:
    """A public page of another app that the association's public site links to in its
    navigation (公益慈善 once the association discloses its charity work). ``shown`` answers
    for one association whether the page exists for visitors (one small query: it is asked
    on every page of the site); the link leads to ``url_name`` (taking ``association_slug``)."""

    key: str
    title: str | Promise
    url_name: str
    shown: Callable[[AppTenant], bool]
    order: int = 100
    visible_to: Visibility = everyone


PUBLIC_SITE_LINKS: Slot[PublicSiteLink] = Slot("public_site_links")


def public_site_links(association: AppTenant) -> list[PersonalLink]:
    """The links the public site of ``association`` shows, in their order, with their URLs."""
    slug = {"association_slug": association.slug}
    return [
        PersonalLink(entry.title, reverse(entry.url_name, kwargs=slug), "")
        for entry in PUBLIC_SITE_LINKS.entries()
        if entry.shown(association)
    ]


# --- Files picked from the document library ------------------------------------------------


@dataclass(frozen=True)
class LibraryFile:
    """A file of the document library a person may attach elsewhere."""

    id: int
    name: str
    size: int
    folder: str


@dataclass(frozen=True)
class LibraryPicker:
    """How other modules (event documents, announcement attachments) attach a file from the
    document library without naming it: the library lists what the person may pick (of the
    given extensions) and opens one as an upload — a 404 for anything they may not see."""

    key: str
    choices: Callable[[AppTenant, Position | None, Any, frozenset[str]], list[LibraryFile]]
    open: Callable[[AppTenant, Position | None, Any, int], Any]  # -> UploadedFile
    order: int = 100
    visible_to: Visibility = everyone


LIBRARY: Slot[LibraryPicker] = Slot("library")


# --- What follows a member's change ----------------------------------------------------------


@dataclass(frozen=True)
class MemberFollower:
    """What an app keeps in step with a member enterprise's details or status (the network's
    platform index of enterprises): ``changed(member)`` runs in the change's transaction and
    tenant context, after the member is saved."""

    key: str
    changed: Callable[[Any], None]
    order: int = 100
    visible_to: Visibility = everyone


MEMBER_FOLLOWERS: Slot[MemberFollower] = Slot("member_followers")


def member_changed(member: Any) -> None:
    """Called by the members services after every change of a member's details or status."""
    for follower in MEMBER_FOLLOWERS.entries():
        follower.changed(member)
