import Fluent
import Foundation
import SQLKit

struct UpdateProgrammeAddPublicCode: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("programmes").field("public_code", .string).update()
        // Raw SQL, not the model: the model may have gained columns that later migrations add.
        let sql = database as! any SQLDatabase
        for row in try await sql.select().column("id").from("programmes").all() {
            let id = try row.decode(column: "id", as: UUID.self)
            try await sql.update("programmes").set("public_code", to: SQLBind(SecureToken.generate()))
                .where("id", .equal, SQLBind(id)).run()
        }
    }
    func revert(on database: any Database) async throws {
        try await database.schema("programmes").deleteField("public_code").update()
    }
}
