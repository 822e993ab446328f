#include "casesvc_store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct casesvc_store {
    sqlite3 *db;
    pthread_mutex_t lock;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS object("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, uuid TEXT NOT NULL UNIQUE,"
    " ref TEXT, parent TEXT, status TEXT, body TEXT NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS object_ref_unique ON object(kind, ref)"
    " WHERE ref IS NOT NULL AND kind IN ('klantcontact', 'internetaak');"
    "CREATE INDEX IF NOT EXISTS object_kind_ref ON object(kind, ref);"
    /* kind first in every index: "the betrokkenen of this contact" must not scan all rows */
    "CREATE INDEX IF NOT EXISTS object_kind_parent ON object(kind, parent);"
    "CREATE INDEX IF NOT EXISTS object_kind_status ON object(kind, status);"
    "CREATE TABLE IF NOT EXISTS taak_actor("
    " taak TEXT NOT NULL, actor TEXT NOT NULL, pos INTEGER NOT NULL, PRIMARY KEY(taak, actor));"
    "CREATE INDEX IF NOT EXISTS taak_actor_actor ON taak_actor(actor);";

casesvc_store *casesvc_store_open(const char *path, char *err, size_t errcap)
{
    casesvc_store *st = calloc(1, sizeof *st);
    if (!st) {
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    int rc = sqlite3_open_v2(
        path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    char *msg = NULL;
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(st->db, 5000);
        rc = sqlite3_exec(st->db,
                          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          "PRAGMA foreign_keys=ON;",
                          NULL, NULL, &msg);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(st->db, SCHEMA, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errcap, "cannot open the database %s: %s", path,
                 msg      ? msg
                 : st->db ? sqlite3_errmsg(st->db)
                          : "out of memory");
        sqlite3_free(msg);
        sqlite3_close(st->db);
        free(st);
        return NULL;
    }
    pthread_mutex_init(&st->lock, NULL);
    return st;
}

void casesvc_store_close(casesvc_store *st)
{
    if (!st)
        return;
    sqlite3_close(st->db);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static casesvc_store_result result_of(int rc, sqlite3 *db)
{
    if (rc == SQLITE_DONE || rc == SQLITE_OK)
        return CASESVC_STORE_OK;
    if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE ||
        sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        return CASESVC_STORE_DUPLICATE;
    return CASESVC_STORE_ERROR;
}

casesvc_store_result casesvc_store_insert(casesvc_store *st, const casesvc_obj *objs, size_t n,
                                          const char *const (*links)[2], size_t nlinks)
{
    pthread_mutex_lock(&st->lock);
    casesvc_store_result res = CASESVC_STORE_OK;
    sqlite3_stmt *ins = NULL, *link = NULL;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        pthread_mutex_unlock(&st->lock);
        return CASESVC_STORE_ERROR;
    }
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO object(kind, uuid, ref, parent, status, body)"
                           " VALUES(?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(st->db, "INSERT INTO taak_actor(taak, actor, pos) VALUES(?, ?, ?)", -1,
                           &link, NULL) != SQLITE_OK)
        res = CASESVC_STORE_ERROR;
    for (size_t i = 0; res == CASESVC_STORE_OK && i < n; i++) {
        sqlite3_reset(ins);
        bind_opt(ins, 1, objs[i].kind);
        bind_opt(ins, 2, objs[i].uuid);
        bind_opt(ins, 3, objs[i].ref);
        bind_opt(ins, 4, objs[i].parent);
        bind_opt(ins, 5, objs[i].status);
        bind_opt(ins, 6, objs[i].body);
        res = result_of(sqlite3_step(ins), st->db);
    }
    for (size_t i = 0; res == CASESVC_STORE_OK && i < nlinks; i++) {
        sqlite3_reset(link);
        bind_opt(link, 1, links[i][0]);
        bind_opt(link, 2, links[i][1]);
        sqlite3_bind_int64(link, 3, (sqlite3_int64)i);
        int rc = sqlite3_step(link);
        /* the same actor twice is one assignment */
        if (rc != SQLITE_DONE && sqlite3_extended_errcode(st->db) != SQLITE_CONSTRAINT_PRIMARYKEY)
            res = CASESVC_STORE_ERROR;
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(link);
    if (res == CASESVC_STORE_OK && sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        res = CASESVC_STORE_ERROR;
    if (res != CASESVC_STORE_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_unlock(&st->lock);
    return res;
}

casesvc_store_result casesvc_store_update(casesvc_store *st, const char *kind, const char *uuid,
                                          const char *status, const char *body)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = NULL;
    casesvc_store_result res = CASESVC_STORE_ERROR;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE object SET status = ?, body = ? WHERE kind = ? AND uuid = ?", -1,
                           &s, NULL) == SQLITE_OK) {
        bind_opt(s, 1, status);
        bind_opt(s, 2, body);
        bind_opt(s, 3, kind);
        bind_opt(s, 4, uuid);
        res = result_of(sqlite3_step(s), st->db);
        if (res == CASESVC_STORE_OK && sqlite3_changes(st->db) != 1)
            res = CASESVC_STORE_ERROR;
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->lock);
    return res;
}

int casesvc_store_update_if(casesvc_store *st, const char *kind, const char *uuid,
                            const char *expected_body, const char *status, const char *body)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = NULL;
    int res = -1;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE object SET status = ?, body = ? WHERE kind = ? AND uuid = ?"
                           " AND body = ?",
                           -1, &s, NULL) == SQLITE_OK) {
        bind_opt(s, 1, status);
        bind_opt(s, 2, body);
        bind_opt(s, 3, kind);
        bind_opt(s, 4, uuid);
        bind_opt(s, 5, expected_body);
        if (result_of(sqlite3_step(s), st->db) == CASESVC_STORE_OK)
            res = sqlite3_changes(st->db) == 1 ? 1 : 0;
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->lock);
    return res;
}

static char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? strdup((const char *)t) : NULL;
}

int casesvc_store_list(casesvc_store *st, const casesvc_filter *f, casesvc_rows *out)
{
    memset(out, 0, sizeof *out);
    char where[1024] = "o.kind = ?1";
    if (f->uuid)
        strcat(where, " AND o.uuid = ?2");
    if (f->ref)
        strcat(where, " AND o.ref = ?3");
    if (f->parent)
        strcat(where, " AND o.parent = ?4");
    if (f->status)
        strcat(where, " AND o.status = ?5");
    if (f->actor)
        strcat(where, " AND o.uuid IN (SELECT t.taak FROM taak_actor t WHERE t.actor = ?6)");
    if (f->parent_ref)
        strcat(where, " AND o.parent IN (SELECT k.uuid FROM object k WHERE k.kind = 'klantcontact'"
                      " AND k.ref = ?7)");
    char sql[2048];
    int rc = 0;
    pthread_mutex_lock(&st->lock);
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        if (pass == 0)
            snprintf(sql, sizeof sql, "SELECT count(*) FROM object o WHERE %s", where);
        else
            snprintf(sql, sizeof sql,
                     "SELECT kind, uuid, ref, parent, status, body FROM object o WHERE %s"
                     " ORDER BY o.seq LIMIT ?8 OFFSET ?9",
                     where);
        sqlite3_stmt *s = NULL;
        if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
            rc = -1;
            break;
        }
        const char *vals[7] = {f->kind,   f->uuid,  f->ref,       f->parent,
                               f->status, f->actor, f->parent_ref};
        for (int i = 0; i < 7; i++)
            if (vals[i]) /* a number the statement does not use is refused harmlessly */
                sqlite3_bind_text(s, i + 1, vals[i], -1, SQLITE_TRANSIENT);
        if (pass == 1) {
            sqlite3_bind_int64(s, 8, f->limit > 0 ? f->limit : -1);
            sqlite3_bind_int64(s, 9, f->offset > 0 ? f->offset : 0);
        }
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW) {
            if (pass == 0) {
                out->total = sqlite3_column_int64(s, 0);
                continue;
            }
            casesvc_row *nr = realloc(out->rows, (out->n + 1) * sizeof *nr);
            if (!nr) {
                rc = -1;
                break;
            }
            out->rows = nr;
            casesvc_row *r = &out->rows[out->n++];
            r->kind = col(s, 0);
            r->uuid = col(s, 1);
            r->ref = col(s, 2);
            r->parent = col(s, 3);
            r->status = col(s, 4);
            r->body = col(s, 5);
            if (!r->kind || !r->uuid || !r->body)
                rc = -1;
        }
        if (step != SQLITE_DONE && step != SQLITE_ROW)
            rc = -1;
        sqlite3_finalize(s);
    }
    pthread_mutex_unlock(&st->lock);
    if (rc != 0)
        casesvc_rows_free(out);
    return rc;
}

char **casesvc_store_actors_of(casesvc_store *st, const char *taak)
{
    pthread_mutex_lock(&st->lock);
    sqlite3_stmt *s = NULL;
    char **v = calloc(1, sizeof *v);
    size_t n = 0;
    if (v && sqlite3_prepare_v2(st->db, "SELECT actor FROM taak_actor WHERE taak = ? ORDER BY pos",
                                -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, taak, -1, SQLITE_TRANSIENT);
        int step;
        while (v && (step = sqlite3_step(s)) == SQLITE_ROW) {
            char **nv = realloc(v, (n + 2) * sizeof *v);
            if (!nv) {
                casesvc_strv_free(v);
                v = NULL;
                break;
            }
            v = nv;
            v[n++] = col(s, 0);
            v[n] = NULL;
        }
    } else {
        casesvc_strv_free(v);
        v = NULL;
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->lock);
    return v;
}

void casesvc_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

void casesvc_rows_free(casesvc_rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        casesvc_row *x = &r->rows[i];
        free(x->kind);
        free(x->uuid);
        /* the bodies (and a referentie) hold personal data: wiped before they are freed */
        if (x->ref)
            explicit_bzero(x->ref, strlen(x->ref));
        free(x->ref);
        free(x->parent);
        free(x->status);
        if (x->body)
            explicit_bzero(x->body, strlen(x->body));
        free(x->body);
    }
    free(r->rows);
    memset(r, 0, sizeof *r);
}
