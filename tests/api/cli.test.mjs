// The command line: one-line errors with status 2, user management, verify and backup — run
// against the same database the server uses (SQLite file or PostgreSQL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jiceng, DB, IS_PG, PW, login, uniq, assertOk } from './lib.mjs';

test('unknown options and bad values: one line on stderr and exit status 2', async () => {
    const cases = [
        [['serve', '--bogus']],
        [['serve', '--db', DB, '--threads', 'many']],
        [['serve', '--db', DB, '--session-cache', '-1']],
        [['init']],
        [['user', 'frobnicate', '--db', DB]],
        [['token', 'create', '--db', DB]],
        [['nosuchcommand']],
        [['backup', '--db', DB]],
    ];
    for (const [args] of cases) {
        const r = await jiceng(args);
        assert.equal(r.code, 2, `jiceng ${args.join(' ')} → ${r.code}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
        assert.match(r.stderr, /^jiceng/);
        assert.equal(r.stdout, '');
    }
});

test('--version and --help', async () => {
    const v = await jiceng(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^jiceng \d+\.\d+\.\d+\n$/);
    for (const cmd of ['init', 'serve', 'user', 'token', 'verify', 'backup']) {
        const h = await jiceng([cmd, '--help']);
        assert.equal(h.code, 0, `${cmd} --help`);
        assert.match(h.stdout, /usage: jiceng /, `${cmd} --help prints its usage`);
    }
});

test('user add, list, passwd, disable from the command line', async () => {
    const name = uniq('cli');
    const add = await jiceng(['user', 'add', '--db', DB, '--username', name, '--name', '命令行用户',
        '--role', 'grid_worker', '--area', '410104007001']);
    assert.equal(add.code, 0, add.stderr);
    const pw = add.stdout.match(/password: (\S+)/)[1];
    assert.ok(pw.length >= 12, 'a random password is printed');
    const c = await login(name, pw);
    assert.equal(c.me.username, name);
    const list = await jiceng(['user', 'list', '--db', DB]);
    assert.equal(list.code, 0);
    assert.ok(list.stdout.split('\n').some((l) => l.includes(name) && l.includes('grid_worker')));
    const passwd = await jiceng(['user', 'passwd', '--db', DB, name, '--password', 'new-secret-1']);
    assert.equal(passwd.code, 0, passwd.stderr);
    assert.ok((await login(name, 'new-secret-1')).me);
    const dis = await jiceng(['user', 'disable', '--db', DB, name]);
    assert.equal(dis.code, 0, dis.stderr);
    const after = await jiceng(['user', 'list', '--db', DB]);
    assert.ok(after.stdout.split('\n').some((l) => l.includes(name) && l.includes('disabled')));
    // a bad role, an area that does not exist: refused, nothing created
    const bad = await jiceng(['user', 'add', '--db', DB, '--username', uniq('x'), '--name', 'x',
        '--role', 'king', '--area', '410104007001']);
    assert.equal(bad.code, 2);
    const noarea = await jiceng(['user', 'add', '--db', DB, '--username', uniq('y'), '--name', 'y',
        '--role', 'grid_worker', '--area', '410104007099']);
    assert.equal(noarea.code, 1);
    assert.match(noarea.stderr, /area/);
});

test('verify passes on the live database; backup makes a copy that verifies too', async () => {
    const v = await jiceng(['verify', '--db', DB]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /audit chain intact: \d+ records/);
    if (IS_PG) {
        const b = await jiceng(['backup', '--db', DB, path.join(tmpdir(), uniq('b'))]);
        assert.notEqual(b.code, 0, 'PostgreSQL backups are pg_dump\'s job');
        assert.match(b.stderr, /pg_dump/);
        return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'jc-backup-'));
    try {
        const out = path.join(dir, 'copy.db');
        const admin = await login('admin', PW);
        // writes keep going while the copy is made
        const writing = Promise.all(Array.from({ length: 10 }, () =>
            admin.post('/api/v1/ledger/tasks', {
                title: uniq('备份中'), area: '410104007000', category: '组织建设', deadline: '2030-03-01',
            })));
        const b = await jiceng(['backup', '--db', DB, out]);
        for (const r of await writing) assertOk(r, 201);
        assert.equal(b.code, 0, b.stderr);
        assert.ok(existsSync(out));
        const vb = await jiceng(['verify', '--db', out]);
        assert.equal(vb.code, 0, vb.stdout + vb.stderr);
        assert.match(vb.stdout, /database ok/);
        const again = await jiceng(['backup', '--db', DB, out]);
        assert.equal(again.code, 2, 'an existing file is never overwritten');
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
