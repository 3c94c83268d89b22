import Fluent
import SQLKit

/// A column a migration adds to an existing table. With `requiredDefault` (e.g. `.sql(.default(8))`) the column is
/// NOT NULL with that default, so existing rows get it; without one the column is nullable.
typealias AddedColumn = (name: String, type: DatabaseSchema.DataType, requiredDefault: DatabaseSchema.FieldConstraint?)

extension Database {
    /// Adds `columns` to `table` in this order, one ALTER TABLE per column: SQLite can add only one column per
    /// ALTER TABLE. PostgreSQL gets the same statements, so both databases go through the same steps.
    func addColumns(_ columns: [AddedColumn], to table: String) async throws {
        for (name, type, requiredDefault) in columns {
            var builder = self.schema(table)
            if let requiredDefault {
                builder = builder.field(
                    .definition(
                        name: .key(.init(stringLiteral: name)), dataType: type,
                        constraints: [.required, requiredDefault]))
            } else {
                builder = builder.field(.init(stringLiteral: name), type)
            }
            try await builder.update()
        }
    }

    /// Drops `columns` from `table` in this order, one ALTER TABLE per column (SQLite again). SQLite cannot drop a
    /// column that is indexed, unique, part of a key or has a foreign key: drop such indexes first.
    func dropColumns(_ columns: [String], from table: String) async throws {
        for name in columns {
            try await self.schema(table).deleteField(.init(stringLiteral: name)).update()
        }
    }

    /// Creates `indexes` (raw SQL with literal names: the same statements on SQLite and PostgreSQL, and renaming
    /// a model later must not rewrite a migration).
    func createIndexes(_ indexes: [MigrationIndex]) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        for index in indexes {
            try await sql.raw(
                "CREATE INDEX IF NOT EXISTS \(unsafeRaw: index.name) ON \(unsafeRaw: index.table) (\(unsafeRaw: index.columns))"
            ).run()
        }
    }

    func dropIndexes(_ indexes: [MigrationIndex]) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        for index in indexes {
            try await sql.raw("DROP INDEX IF EXISTS \(unsafeRaw: index.name)").run()
        }
    }
}

/// An index a migration creates: its name, table and comma-separated columns.
typealias MigrationIndex = (name: String, table: String, columns: String)
