/* casesvc_store: the reference case service's storage (SQLite, one file).
 *
 * Contract: WAL with synchronous=FULL, so a write is on disk when it returns and nothing
 * acknowledged is lost on a restart or a kill -9. Every object is one row: its kind
 * ("klantcontact", "betrokkene", "onderwerpobject", "digitaaladres", "internetaak",
 * "actor"), uuid, the indexed values the filters need (ref, parent, status) and its
 * writable fields as a JSON text. A referentienummer is unique per kind for klantcontact and
 * internetaak (the database says so: CASESVC_STORE_DUPLICATE). Internetaak-actor links live
 * in their own table. Thread-safe (one connection behind a mutex). No personal data is ever
 * logged by this module. */
#ifndef LOKET_CASESVC_STORE_H
#define LOKET_CASESVC_STORE_H

#include <stddef.h>

typedef struct casesvc_store casesvc_store;

typedef struct {
    const char *kind, *uuid, *ref, *parent, *status, *body; /* ref, parent, status may be NULL */
} casesvc_obj;

typedef struct {
    char *kind, *uuid, *ref, *parent, *status, *body; /* NULL where the column is NULL */
} casesvc_row;

typedef struct {
    casesvc_row *rows;
    size_t n;
    long long total; /* all matches, before offset/limit */
} casesvc_rows;

typedef struct {
    const char *kind;        /* required */
    const char *uuid;        /* exact match, or NULL */
    const char *ref;         /* exact match, or NULL */
    const char *parent;      /* exact match, or NULL */
    const char *status;      /* exact match, or NULL */
    const char *actor;       /* internetaak assigned to this actor uuid, or NULL */
    const char *parent_ref;  /* parent is a klantcontact with this referentienummer, or NULL */
    long long offset, limit; /* limit <= 0: no limit */
} casesvc_filter;

typedef enum {
    CASESVC_STORE_OK,
    CASESVC_STORE_DUPLICATE,
    CASESVC_STORE_ERROR
} casesvc_store_result;

casesvc_store *casesvc_store_open(const char *path, char *err, size_t errcap);
void casesvc_store_close(casesvc_store *st);

/* Inserts objects and internetaak->actor links (links[i][0] taak, [1] actor) in one
 * transaction: all or nothing. */
casesvc_store_result casesvc_store_insert(casesvc_store *st, const casesvc_obj *objs, size_t n,
                                          const char *const (*links)[2], size_t nlinks);
/* Replaces an object's status and body. */
casesvc_store_result casesvc_store_update(casesvc_store *st, const char *kind, const char *uuid,
                                          const char *status, const char *body);
/* Rows in insertion order. Returns 0, or -1 on a database error. */
/* Compare-and-swap: updates only if the row's body is still expected_body. 1: updated,
 * 0: the row changed (or is gone) in the meantime, read it again; -1: store error. */
int casesvc_store_update_if(casesvc_store *st, const char *kind, const char *uuid,
                            const char *expected_body, const char *status, const char *body);
int casesvc_store_list(casesvc_store *st, const casesvc_filter *f, casesvc_rows *out);
/* The actor uuids linked to an internetaak, in the order given (a NULL-terminated array to
 * free with casesvc_strv_free), or NULL on error. */
char **casesvc_store_actors_of(casesvc_store *st, const char *taak);
void casesvc_strv_free(char **v);
void casesvc_rows_free(casesvc_rows *r);

#endif
