import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { type Migration, migrate, migrations, schemaVersion } from './migrations.ts'

describe('migrations', () => {
  it('bring an empty database to the newest version and record it in user_version', () => {
    const db = new BetterSqlite3(':memory:')
    const result = migrate(db)
    expect(result).toEqual({ from: 0, to: migrations.at(-1)?.version })
    expect(schemaVersion(db)).toBe(migrations.at(-1)?.version)
    expect(migrate(db)).toEqual({ from: result.to, to: result.to })
    db.close()
  })

  it('apply only the missing versions, in order', () => {
    const db = new BetterSqlite3(':memory:')
    const applied: number[] = []
    const steps: Migration[] = [1, 2, 3].map((version) => ({
      version,
      description: `step ${version}`,
      up: () => applied.push(version),
    }))
    migrate(db, steps.slice(0, 1))
    migrate(db, steps)
    expect(applied).toEqual([1, 2, 3])
    db.close()
  })

  it('roll back a failing migration and leave the version where it was', () => {
    const db = new BetterSqlite3(':memory:')
    const steps: Migration[] = [
      { version: 1, description: 'ok', up: (d) => d.exec('CREATE TABLE a (x)') },
      {
        version: 2,
        description: 'fails',
        up: (d) => {
          d.exec('CREATE TABLE b (x)')
          throw new Error('boom')
        },
      },
    ]
    expect(() => migrate(db, steps)).toThrow('boom')
    expect(schemaVersion(db)).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined()
    db.close()
  })

  it('refuse a database newer than the code', () => {
    const db = new BetterSqlite3(':memory:')
    db.pragma('user_version = 999')
    expect(() => migrate(db)).toThrow(/newer than this server knows/)
    db.close()
  })
})
