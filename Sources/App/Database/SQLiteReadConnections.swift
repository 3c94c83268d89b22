import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import Synchronization
import Vapor
import VaporCSQLite

/// SQLite connections of their own for the literal-SQL reads of page views (``Database/plainSQL``), run on the
/// calling thread with prepared statements kept for reuse.
///
/// Why: a query through Fluent's pool costs far more than the read itself. SQLiteNIO prepares every statement
/// anew, runs it on its thread pool (a thread hop there and one back), and hands every row of the result to the
/// event loop as a task of its own (`SQLiteConnection.query(_:_:logger:_:)`: one `eventLoop.submit` per row, then
/// `andAllSucceed`). Measured on the tandem space (release build, 50 connections on 2 cores): about 0.2 ms of CPU
/// per query, even for a one-row read by primary key, and ten queries per view. An indexed read in WAL mode takes
/// microseconds and never waits for a writer, so it runs where it is asked for, as SQLite's own C API intends.
///
/// The connections are `query_only`: a write through them fails loudly instead of bypassing a transaction. In WAL
/// mode each statement reads the last committed state, so a page read after a write request sees that write.
/// Requests find them through ``current`` (set by ``SQLiteReadsMiddleware``); code outside a request, and code in
/// a transaction, reads through Fluent's connection as before. SQL, binds and decoding are SQLKit's and
/// SQLiteKit's own (`SQLiteDialect`, `SQLiteDataEncoder`, `SQLiteDataDecoder`); only the C calls that SQLiteNIO
/// would make are made here (`SQLiteStatement` in SQLiteNIO is the model), and `PageReadsTests` compares every read
/// through this path with Fluent's.
final class SQLiteReadConnections: Sendable {
    @TaskLocal static var current: SQLiteReadConnections?

    private let readers: [SQLiteReader]
    private let turn = Atomic<Int>(0)
    private let served = Atomic<Int>(0)
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup

    private init(readers: [SQLiteReader], logger: Logger, eventLoopGroup: any EventLoopGroup) {
        self.readers = readers
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// Opens `count` connections to the database file at `path`.
    static func open(
        path: String, count: Int, eventLoopGroup: any EventLoopGroup, logger: Logger
    ) throws
        -> SQLiteReadConnections
    {
        let readers = try (0..<max(1, count)).map { _ in try SQLiteReader(path: path) }
        return SQLiteReadConnections(readers: readers, logger: logger, eventLoopGroup: eventLoopGroup)
    }

    /// The reads as an SQL database (each query takes the next connection in turn).
    var sql: any SQLDatabase { DirectSQLiteDatabase(connections: self) }

    /// How many queries went through these connections (for tests).
    var readsServed: Int { served.load(ordering: .relaxed) }

    fileprivate func rows(_ sql: String, _ binds: [SQLiteData]) throws -> SQLiteReader.Result {
        served.wrappingAdd(1, ordering: .relaxed)
        let index = turn.wrappingAdd(1, ordering: .relaxed).oldValue & Int.max
        return try readers[index % readers.count].rows(sql, binds)
    }

    func close() {
        for reader in readers { reader.close() }
    }
}

/// One SQLite connection and its prepared statements, used by one thread at a time.
final class SQLiteReader: Sendable {
    struct Result {
        let columns: SQLiteReader.Columns
        let rows: [[SQLiteData]]
    }

    /// A statement's column names and their offsets, shared by all rows it returns.
    final class Columns: Sendable {
        let names: [String]
        let offsets: [String: Int]

        init(names: [String]) {
            self.names = names
            self.offsets = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private struct Prepared {
        let statement: OpaquePointer
        let columns: Columns
    }

    private struct State: @unchecked Sendable {  // only ever touched under `state`'s lock
        var handle: OpaquePointer?
        var statements: [String: Prepared] = [:]
    }

    /// Enough for every literal read in the app; beyond it the cache starts afresh (a bound, not an expected case).
    private static let statementLimit = 128
    private let state: NIOLockedValueBox<State>

    init(path: String) throws {
        sqlite_nio_sqlite3_initialize()
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            if let handle { sqlite_nio_sqlite3_close_v2(handle) }
            throw SQLiteReadError(code: opened, message: "cannot open \(path) for reading")
        }
        // A reader waits for a lock only while the log is recovered after a crash; never for long.
        sqlite_nio_sqlite3_busy_timeout(handle, 5_000)
        let pragma = sqlite_nio_sqlite3_exec(handle, "PRAGMA query_only = 1", nil, nil, nil)
        guard pragma == SQLITE_OK else {
            sqlite_nio_sqlite3_close_v2(handle)
            throw SQLiteReadError(code: pragma, message: "cannot make \(path) read-only")
        }
        state = NIOLockedValueBox(State(handle: handle))
    }

    /// Runs `sql` with `binds` and returns every row.
    func rows(_ sql: String, _ binds: [SQLiteData]) throws -> Result {
        try state.withLockedValue { state in
            guard let handle = state.handle else { throw SQLiteReadError(code: SQLITE_MISUSE, message: "closed") }
            let prepared = try Self.prepared(sql, in: &state, handle: handle)
            let statement = prepared.statement
            defer {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            }
            for (offset, value) in binds.enumerated() {
                let result = Self.bind(value, at: Int32(offset + 1), to: statement)
                guard result == SQLITE_OK else { throw SQLiteReadError(code: result, handle: handle) }
            }
            let width = Int32(prepared.columns.names.count)
            var rows: [[SQLiteData]] = []
            while true {
                let step = sqlite_nio_sqlite3_step(statement)
                if step == SQLITE_DONE { break }
                guard step == SQLITE_ROW else { throw SQLiteReadError(code: step, handle: handle) }
                var row: [SQLiteData] = []
                row.reserveCapacity(Int(width))
                for column in 0..<width { row.append(try Self.value(at: column, of: statement)) }
                rows.append(row)
            }
            return Result(columns: prepared.columns, rows: rows)
        }
    }

    func close() {
        state.withLockedValue { state in
            for prepared in state.statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
            state.statements = [:]
            if let handle = state.handle { sqlite_nio_sqlite3_close_v2(handle) }
            state.handle = nil
        }
    }

    deinit { close() }

    private static func prepared(_ sql: String, in state: inout State, handle: OpaquePointer) throws -> Prepared {
        if let prepared = state.statements[sql] { return prepared }
        if state.statements.count >= statementLimit {
            for prepared in state.statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
            state.statements = [:]
        }
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(
            handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw SQLiteReadError(code: result, handle: handle) }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let names = (0..<count).map { column in
            sqlite_nio_sqlite3_column_name(statement, column).map { String(cString: $0) } ?? ""
        }
        let prepared = Prepared(statement: statement, columns: Columns(names: names))
        state.statements[sql] = prepared
        return prepared
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .blob(let bytes):
            bytes.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        case .float(let number):
            sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .integer(let number):
            sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .null:
            sqlite_nio_sqlite3_bind_null(statement, index)
        case .text(let text):
            sqlite_nio_sqlite3_bind_text64(
                statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
        }
    }

    /// A column's value as SQLiteNIO reads it (`SQLiteStatement.data(at:)`).
    private static func value(at column: Int32, of statement: OpaquePointer) throws -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else {
                throw SQLiteReadError(code: SQLITE_ERROR, message: "text column without text")
            }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: length)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
            }
            return .blob(buffer)
        case SQLITE_NULL:
            return .null
        default:
            throw SQLiteReadError(code: SQLITE_ERROR, message: "unknown column type")
        }
    }

    /// SQLite copies bound values before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

struct SQLiteReadError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(code: Int32, handle: OpaquePointer) {
        self.code = code
        self.message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "SQLite error"
    }

    var description: String { "SQLite read failed (\(code)): \(message)" }
}

/// ``SQLiteReadConnections`` as an SQLKit database: SQLite's dialect, SQLiteKit's encoder and decoder.
private struct DirectSQLiteDatabase: SQLDatabase {
    let connections: SQLiteReadConnections

    var logger: Logger { connections.logger }
    var eventLoop: any EventLoop { connections.eventLoopGroup.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    )
        -> EventLoopFuture<Void>
    {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        if let level = queryLogLevel { logger.log(level: level, "Executing read", metadata: ["sql": .string(sql)]) }
        let encoder = SQLiteDataEncoder()
        let result = try connections.rows(sql, binds.map { try encoder.encode($0) })
        let decoder = SQLiteDataDecoder()
        for values in result.rows { onRow(DirectSQLiteRow(columns: result.columns, values: values, decoder: decoder)) }
    }
}

/// A row read by ``SQLiteReader``, decoded like SQLiteKit's rows.
struct DirectSQLiteRow: SQLRow {
    let columns: SQLiteReader.Columns
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.offsets[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let offset = columns.offsets[column] else { return true }
        return values[offset] == .null
    }

    func decode<D: Decodable>(column: String, as: D.Type) throws -> D {
        try decoder.decode(D.self, from: data(column))
    }

    func data(_ column: String) throws -> SQLiteData {
        guard let offset = columns.offsets[column] else {
            throw DecodingError.keyNotFound(
                SQLColumnKey(column), .init(codingPath: [], debugDescription: "no column \(column) in the result"))
        }
        return values[offset]
    }
}

/// Typed column reads for the literal-SQL row types. A row of the direct SQLite reader converts SQLite's value
/// the way `SQLiteDataDecoder` does (`SQLiteDataConvertible`, a UUID from its text, an enumeration from its raw
/// text) without SQLKit's generic decoding machinery, which was a tenth of the tandem space's CPU time; any other
/// row (PostgreSQL, Fluent's pool) goes through SQLKit's `decode(column:as:)`. `PageReadsTests` reads every such
/// row both ways and compares it with Fluent's.
extension SQLRow {
    func value<T: Decodable & SQLiteDataConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let row = self as? DirectSQLiteRow else { return try decode(column: column, as: T.self) }
        let data = try row.data(column)
        guard let value = T(sqliteData: data) else { throw Self.mismatch(T.self, column, data) }
        return value
    }

    func optionalValue<T: Decodable & SQLiteDataConvertible>(_ column: String, as type: T.Type = T.self) throws -> T? {
        guard let row = self as? DirectSQLiteRow else {
            return try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
        }
        let data = try row.data(column)
        if data == .null { return nil }
        guard let value = T(sqliteData: data) else { throw Self.mismatch(T.self, column, data) }
        return value
    }

    func uuid(_ column: String) throws -> UUID {
        guard let row = self as? DirectSQLiteRow else { return try decode(column: column, as: UUID.self) }
        let data = try row.data(column)
        guard let text = String(sqliteData: data), let value = UUID(uuidString: text) else {
            throw Self.mismatch(UUID.self, column, data)
        }
        return value
    }

    func optionalUUID(_ column: String) throws -> UUID? {
        if try decodeNil(column: column) { return nil }
        return try uuid(column)
    }

    func value<E: RawRepresentable & Decodable>(_ column: String, as type: E.Type) throws -> E
    where E.RawValue == String {
        guard let row = self as? DirectSQLiteRow else { return try decode(column: column, as: E.self) }
        let data = try row.data(column)
        guard let text = String(sqliteData: data), let value = E(rawValue: text) else {
            throw Self.mismatch(E.self, column, data)
        }
        return value
    }

    private static func mismatch(_ type: Any.Type, _ column: String, _ data: SQLiteData) -> DecodingError {
        .typeMismatch(
            type, .init(codingPath: [SQLColumnKey(column)], debugDescription: "column \(column) holds \(data)"))
    }
}

private struct SQLColumnKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Makes the application's ``SQLiteReadConnections`` the ones of every request it handles.
struct SQLiteReadsMiddleware: AsyncMiddleware {
    let connections: SQLiteReadConnections

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await SQLiteReadConnections.$current.withValue(connections) {
            try await next.respond(to: request)
        }
    }
}

/// Closes the read connections when the application shuts down.
struct SQLiteReadConnectionsLifecycle: LifecycleHandler {
    let connections: SQLiteReadConnections

    func shutdown(_ application: Application) { connections.close() }
}

extension Application {
    private struct SQLiteReadsKey: StorageKey {
        typealias Value = SQLiteReadConnections
    }

    /// The read connections of an SQLite application (nil on PostgreSQL).
    var sqliteReads: SQLiteReadConnections? {
        get { storage[SQLiteReadsKey.self] }
        set { storage[SQLiteReadsKey.self] = newValue }
    }
}
