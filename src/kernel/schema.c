/* schema.c — the kernel's tables. Domains keep their own migrations in their folders. */
#include "kernel.h"

static const char M1_COMMON[] =
    "CREATE TABLE areas ("
    " code @CODE@ NOT NULL PRIMARY KEY,"
    " parent_code @CODE@ REFERENCES areas(code),"
    " level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 6),"
    " kind TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " lat DOUBLE PRECISION, lng DOUBLE PRECISION,"
    " geometry TEXT,"
    " version BIGINT NOT NULL DEFAULT 1,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX areas_parent ON areas(parent_code);"
    "CREATE TABLE users ("
    " id @ID@,"
    " username TEXT NOT NULL UNIQUE,"
    " display_name TEXT NOT NULL,"
    " phone TEXT,"
    " password_hash TEXT NOT NULL,"
    " disabled BIGINT NOT NULL DEFAULT 0,"
    " version BIGINT NOT NULL DEFAULT 1,"
    " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE TABLE user_roles ("
    " user_id BIGINT NOT NULL REFERENCES users(id), role TEXT NOT NULL,"
    " PRIMARY KEY (user_id, role));"
    "CREATE TABLE user_areas ("
    " user_id BIGINT NOT NULL REFERENCES users(id),"
    " area_code @CODE@ NOT NULL REFERENCES areas(code),"
    " prefix @CODE@ NOT NULL, prefix_end @CODE@ NOT NULL,"
    " PRIMARY KEY (user_id, area_code));"
    "CREATE TABLE sessions ("
    " token_hash TEXT NOT NULL PRIMARY KEY,"
    " user_id BIGINT NOT NULL REFERENCES users(id),"
    " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,"
    " ip TEXT);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE api_tokens ("
    " id @ID@,"
    " token_hash TEXT NOT NULL UNIQUE,"
    " user_id BIGINT NOT NULL REFERENCES users(id),"
    " name TEXT NOT NULL,"
    " created_at BIGINT NOT NULL, expires_at BIGINT,"
    " revoked BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE login_failures ("
    " key TEXT NOT NULL PRIMARY KEY, failures BIGINT NOT NULL, last_at BIGINT NOT NULL,"
    " locked_until BIGINT NOT NULL DEFAULT 0);"
    "CREATE TABLE audit ("
    " seq BIGINT PRIMARY KEY,"
    " at BIGINT NOT NULL,"
    " user_id BIGINT, username TEXT NOT NULL,"
    " action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,"
    " area_code @CODE@,"
    " before_json TEXT, after_json TEXT, reason TEXT,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX audit_entity ON audit(entity, entity_id, seq);"
    "CREATE INDEX audit_area ON audit(area_code, seq);"
    "CREATE TABLE audit_head (id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);"
    "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, "
    "'0000000000000000000000000000000000000000000000000000000000000000');"
    "CREATE TABLE config ("
    " key TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL,"
    " version BIGINT NOT NULL DEFAULT 1, updated_at BIGINT NOT NULL);";

/* The audit log is append-only below the API too: the database refuses UPDATE and DELETE. */
static const char M2_SQLITE[] = "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
                                " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
                                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
                                " BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;";
static const char M2_PG[] =
    "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit"
    " FOR EACH ROW EXECUTE FUNCTION audit_append_only();";

/* A counter moved by every change of the area tree, so that servers may keep answers derived
 * from the tree (the area list) until it changes, even when another server changed it. */
static const char M3[] =
    "CREATE TABLE area_version (id BIGINT NOT NULL PRIMARY KEY, version BIGINT NOT NULL);"
    "INSERT INTO area_version (id, version) VALUES (1, 1);";

const store_migration kernel_migrations[] = {
    {1, M1_COMMON, NULL},
    {2, M2_SQLITE, M2_PG},
    {3, M3, NULL},
};
const unsigned kernel_nmigrations = JC_NELEM(kernel_migrations);

const config_def kernel_config[] = {
    {"auth.max_failures_per_user", "5",
     "同一用户连续登录失败多少次后暂时锁定(15秒起,每次加倍,最长15分钟)",
     "failed logins of one user before it is slowed down (15 s, doubling, up to 15 min)",
     config_check_positive_int},
    {"auth.max_failures_per_address", "20", "同一地址连续登录失败多少次后暂时锁定",
     "failed logins from one address before it is slowed down", config_check_positive_int},
    {"auth.session_seconds", "43200", "登录会话有效期(秒)", "session lifetime in seconds",
     config_check_positive_int},
    {"demo.world", "false", "是否为演示数据库(演示账号与管理员同密码)",
     "whether this is the demo database (demo users share the admin password)", NULL},
};
const unsigned kernel_nconfig = JC_NELEM(kernel_config);
