"""The directory's search tokens: kept right by every write, and read through an index."""

import importlib
import io
import re
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.utils import ConnectionHandler

from shanghui.core.bulk import insert_rows
from shanghui.core.rls import APP_DB_ROLE
from shanghui.core.tenancy import scopes_disabled, tenant_context
from shanghui.members import search_index
from shanghui.members.models import Member, MemberSearchToken, Person, PersonSearchToken
from shanghui.members.search_index import search_index_backlog, search_index_pending
from shanghui.members.selectors import MemberFilters, member_search
from shanghui.members.services.members import (
    MemberInput,
    RepresentativeInput,
    member_create,
    member_update,
)
from shanghui.members.services.representatives import representative_remove
from shanghui.testing.factories import MemberFactory, make_uscc
from shanghui.testing.fixtures import Side


def search(side: Side, q: str) -> list[str]:
    a = side.association
    with tenant_context(a):
        found = member_search(association=a, filters=MemberFilters(q=q), directory=False)
        return sorted(found.values_list("name", flat=True))


def admit(side: Side, name: str, **changes: object) -> Member:
    fields: dict[str, object] = {"kind": "enterprise", "name": name, "uscc": make_uscc()}
    with tenant_context(side.association):
        return member_create(
            association=side.association,
            actor=side.admin,
            data=MemberInput(**{**fields, **changes}),  # type: ignore[arg-type]
        )


@pytest.mark.django_db
def test_a_renamed_member_is_found_by_its_new_name_and_code_only(side_a: Side) -> None:
    member = admit(side_a, "赣州市稀土新材料有限公司")
    assert search(side_a, "稀土") == [member.name]
    new_code = make_uscc("91", "360700")
    with tenant_context(side_a.association):
        member_update(
            association=side_a.association,
            actor=side_a.admin,
            member=member,
            data=MemberInput(kind="enterprise", name="赣州市钨业新材料有限公司", uscc=new_code),
        )
    assert search(side_a, "稀土") == []
    assert search(side_a, "xitu") == []
    assert search(side_a, "钨业") == ["赣州市钨业新材料有限公司"]
    assert search(side_a, "wuye") == ["赣州市钨业新材料有限公司"]
    assert search(side_a, new_code) == ["赣州市钨业新材料有限公司"]


@pytest.mark.django_db
def test_a_removed_representative_no_longer_finds_the_member(side_a: Side) -> None:
    a = side_a.association
    member = admit(
        side_a,
        "赣州市南康区家具有限公司",
        representatives=[RepresentativeInput(name="曾国华", phone="13800138000")],
    )
    assert search(side_a, "zgh") == [member.name]
    # Six digits: the factories' phones (139 and a serial) never end with these.
    assert search(side_a, "138000") == [member.name]
    with tenant_context(a):
        representative = member.representatives.get()
        representative_remove(association=a, actor=side_a.admin, representative=representative)
    assert search(side_a, "zgh") == []
    assert search(side_a, "138000") == []
    assert search(side_a, "家具") == [member.name]


@pytest.mark.django_db
def test_a_person_who_represents_two_members_finds_both(side_a: Side) -> None:
    rep = RepresentativeInput(name="解小红", phone="13700137000")
    first = admit(side_a, "上饶市婺源茶业有限公司", representatives=[rep])
    second = admit(side_a, "景德镇市陶瓷艺术品有限公司", representatives=[rep])
    assert search(side_a, "xxh") == sorted([first.name, second.name])  # 解 read as xie


@pytest.mark.django_db
def test_rows_written_in_bulk_are_indexed_afterwards_once(side_a: Side) -> None:
    """An import or the seed writes rows without tokens; ``search_index_pending`` indexes
    exactly those — twice in a row is harmless — and a person it can find no token for (no
    name, no phone) is neither counted as waiting nor met again and again."""
    a = side_a.association
    with tenant_context(a):
        insert_rows(
            Member,
            [
                {"kind": "enterprise", "name": "抚州市临川区才子纸业有限公司", "member_no": "B1"},
                {"kind": "enterprise", "name": "宜春市明月山温泉酒店有限公司", "member_no": "B2"},
            ],
            association=a,
        )
        insert_rows(Person, [{"name": "吴晓梅", "phone": "13655550000"}], association=a)
        Person.objects.create(association=a, name="", phone="")
        assert search_index_backlog(association=a) == 3
    seen: list[int] = []
    assert search_index_pending(association=a, progress=seen.append) == 3
    assert seen == [2, 3]  # after each chunk: the members, then the people
    assert search_index_pending(association=a) == 0
    with tenant_context(a):
        assert search_index_backlog(association=a) == 0
    assert search(side_a, "lcqczzy") == ["抚州市临川区才子纸业有限公司"]
    assert search(side_a, "温泉") == ["宜春市明月山温泉酒店有限公司"]


@pytest.mark.django_db(transaction=True)
def test_each_chunk_of_the_index_commits_on_its_own(side_a: Side, settings: Any) -> None:
    """Outside a transaction, every chunk is committed before the next one starts (on
    PostgreSQL a tenant scope is a transaction: one around the whole run would hold every lock
    to the end): what a chunk wrote is visible to another connection at the next progress."""
    a = side_a.association
    with tenant_context(a):
        insert_rows(
            Member,
            [
                {"kind": "enterprise", "name": f"赣州市章贡区第{n}建材公司", "member_no": f"K{n}"}
                for n in range(5)
            ],
            association=a,
        )
    committed: list[int] = []

    def look_from_another_connection(_done: int) -> None:
        other = ConnectionHandler(settings.DATABASES)["default"]
        try:
            with other.cursor() as cursor:
                if other.vendor == "postgresql":  # as a worker does: the tenant, under RLS
                    # In a transaction of its own, with SET LOCAL: what Citus passes on to
                    # the shards (core.tenancy).
                    cursor.execute("BEGIN")
                    cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
                    cursor.execute(f"SET LOCAL app.association_id = '{int(a.pk)}'")
                table = MemberSearchToken._meta.db_table
                cursor.execute(
                    f"SELECT COUNT(DISTINCT member_id) FROM {table} WHERE association_id = %s",  # noqa: S608
                    [a.pk],
                )
                committed.append(cursor.fetchone()[0])
        finally:
            other.close()

    with patch.object(search_index, "CHUNK", 2):
        search_index_pending(association=a, progress=look_from_another_connection)
    # Chunks of 2 ids in id order: the fixture's member (indexed when it was created) and the
    # first new one, then two more twice; each chunk committed before the next.
    assert committed == [2, 4, 6]


@pytest.mark.django_db
def test_the_search_index_command_completes_an_interrupted_import(side_a: Side) -> None:
    """Should the worker stop between an import's commit and its index, ``manage.py
    search_index`` writes what is missing, in every association."""
    a = side_a.association
    with tenant_context(a):
        insert_rows(
            Member,
            [{"kind": "enterprise", "name": "萍乡市安源区煤炭机械有限公司", "member_no": "C1"}],
            association=a,
        )
    assert search(side_a, "煤炭") == []
    out = io.StringIO()
    call_command("search_index", stdout=out)
    assert f"{a.slug}: 已为 1 条记录建立搜索索引" in out.getvalue()
    assert search(side_a, "煤炭") == ["萍乡市安源区煤炭机械有限公司"]
    quiet = io.StringIO()
    call_command("search_index", stdout=quiet)
    assert quiet.getvalue() == ""


@pytest.mark.django_db
def test_a_deleted_member_takes_its_tokens_along(side_a: Side) -> None:
    member = admit(side_a, "九江市庐山云雾茶业有限公司")
    with tenant_context(side_a.association):
        assert MemberSearchToken.objects.filter(member=member).exists()
        member.delete()
        assert not MemberSearchToken.objects.filter(member_id=member.pk).exists()
        # The fixture's member and person keep theirs.
        assert MemberSearchToken.objects.filter(member=side_a.member).exists()
        assert PersonSearchToken.objects.filter(person=side_a.person).exists()


@pytest.mark.django_db
def test_needles_longer_than_a_token_are_confirmed_on_the_candidates(side_a: Side) -> None:
    long_name = "广州市天河区石牌村第三经济合作社股份有限公司"
    admit(side_a, long_name)
    admit(side_a, "广州市天河区石牌村第三经济合作社物业管理有限公司")
    assert search(side_a, long_name) == [long_name]
    assert search(side_a, "廣州市天河區石牌村第三經濟合作社股份") == [long_name]
    # The same first sixteen characters, then something neither name holds.
    assert search(side_a, "广州市天河区石牌村第三经济合作社餐饮") == []
    assert search(side_a, "shipaicundisanjingjihezuoshegufen") == [long_name]


@pytest.mark.django_db
def test_credit_codes_are_found_whole_or_by_their_beginning(side_a: Side) -> None:
    code = make_uscc("N2", "440106")
    member = admit(side_a, "广州市天河区石牌村经济合作社", kind="enterprise", uscc=code)
    assert search(side_a, code) == [member.name]
    assert search(side_a, code.lower()) == [member.name]
    assert search(side_a, code[:10]) == [member.name]


@pytest.mark.django_db
def test_phone_digits_find_a_representative_only_from_four_at_the_end(side_a: Side) -> None:
    member = admit(
        side_a,
        "赣州市于都县富民纺织有限公司",
        representatives=[RepresentativeInput(name="曾德明", phone="13688880123")],
    )
    assert search(side_a, "880123") == [member.name]
    assert search(side_a, "13688880123") == [member.name]
    assert member.name in search(side_a, "0123")  # four digits are enough
    assert member.name not in search(side_a, "123")
    assert member.name not in search(side_a, "8888")  # inside the number, not its end


@pytest.mark.django_db
def test_the_fill_migration_writes_the_tokens_of_existing_rows(side_a: Side, side_b: Side) -> None:
    MemberFactory(association=side_a.association, name="吉安市井冈山红色文化旅游有限公司")
    for side in (side_a, side_b):
        with tenant_context(side.association):
            MemberSearchToken.objects.filter(association=side.association).delete()
            PersonSearchToken.objects.filter(association=side.association).delete()
    assert search(side_a, "井冈山") == [] and search(side_a, "gzj") == []
    migration = importlib.import_module("shanghui.members.migrations.0007_fill_search_tokens")
    with scopes_disabled():  # as in a migration: historical models have plain managers
        migration.fill(apps, SimpleNamespace(connection=connection))
    assert search(side_a, "井冈山") == ["吉安市井冈山红色文化旅游有限公司"]
    assert search(side_a, "gzj") == [side_a.member.name]
    assert search(side_b, "gzj") == [side_b.member.name]


@pytest.mark.postgres_only
@pytest.mark.not_on_citus(
    "PostgreSQL's plan of one table; Citus plans the shard's query on the worker"
)
@pytest.mark.django_db
def test_the_search_reads_the_token_index_under_row_level_security(
    side_a: Side, side_b: Side
) -> None:
    """As the application's role, the key range is an index condition on both token tables
    (PostgreSQL applies only leakproof operators before the row-level security policy; with
    LIKE every row of the association would be read), and the answer is right."""
    a = side_a.association
    with tenant_context(a), connection.cursor() as cursor:
        # With seq scans off the planner may still pick the (association, member) index and
        # filter the key range after it — equally cheap on tables this small, so the test
        # failed by the planner's choice. Without that index (dropped inside the test's
        # transaction, which is rolled back) the key range can only be the primary key's
        # index condition, or a filter if the policy kept it from being one.
        cursor.execute("DROP INDEX member_token_member")
        cursor.execute("DROP INDEX person_token_person")
        cursor.execute(f"SET LOCAL ROLE {APP_DB_ROLE}")
        results = {}
        plans = []
        for q in ("gzj", "龚氏", "甲市龚氏实业有限公司", "885678"):
            qs = member_search(association=a, filters=MemberFilters(q=q), directory=True)
            results[q] = list(qs.values_list("name", flat=True))
            # Seq scans off: on tables this small a scan is cheaper, and the point is whether
            # an index condition is possible at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = qs.query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
            cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("RESET ROLE")
    assert results["gzj"] == [side_a.member.name]  # side B's 龚志军 is not found
    assert results["龚氏"] == [side_a.member.name]
    assert results["甲市龚氏实业有限公司"] == [side_a.member.name]
    assert results["885678"] == []
    for plan in plans:
        for table in ("members_membersearchtoken", "members_personsearchtoken"):
            # "Index Only Scan using …_pkey on …" or "Bitmap Index Scan on …_pkey", then the
            # key range as its index condition (not as a filter after the policy).
            pattern = rf"{table}_pkey\b.*\n\s+Index Cond: \(.*\bkey\b(\)::text)? >= '"
            assert re.search(pattern, plan), plan
