using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <summary>
    /// SQLite's search rows move to their merchant's rowid range: rowid = the merchant's base (a multiple of 2^40, in
    /// customer_search_merchants) plus the customer's sequence (see Customers/SearchIndex.cs). The rows keep their text;
    /// a row whose customer is gone is dropped (the projector writes it again if the customer comes back).
    /// </summary>
    public partial class SearchRowRanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            if (!migrationBuilder.IsSqlite()) return;
            migrationBuilder.Sql("CREATE TABLE customer_search_merchants (merchant_id TEXT NOT NULL PRIMARY KEY, base INTEGER NOT NULL UNIQUE) WITHOUT ROWID;");
            migrationBuilder.Sql("""
                INSERT INTO customer_search_merchants (merchant_id, base)
                SELECT merchant_id, ROW_NUMBER() OVER (ORDER BY merchant_id) * 1099511627776 FROM (SELECT DISTINCT merchant_id FROM customer_search_rows);
                """);
            migrationBuilder.Sql("""
                CREATE TEMP TABLE search_moves AS
                SELECT r.merchant_id, r.customer_id, b.base + c.sequence AS rowid_in_range, s.text
                FROM customer_search_rows r
                JOIN customer_search_merchants b ON b.merchant_id = r.merchant_id
                JOIN customers c ON c.merchant_id = r.merchant_id AND c.id = r.customer_id
                JOIN customer_search s ON s.rowid = r.search_rowid;
                """);
            migrationBuilder.Sql("DELETE FROM customer_search;");
            migrationBuilder.Sql("DELETE FROM customer_search_rows;");
            migrationBuilder.Sql("INSERT INTO customer_search (rowid, text) SELECT rowid_in_range, text FROM search_moves ORDER BY rowid_in_range;");
            migrationBuilder.Sql("INSERT INTO customer_search_rows (merchant_id, customer_id, search_rowid) SELECT merchant_id, customer_id, rowid_in_range FROM search_moves;");
            migrationBuilder.Sql("DROP TABLE search_moves;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The rows keep their rowids: any rowid serves the mapping in customer_search_rows.
            if (migrationBuilder.IsSqlite()) migrationBuilder.Sql("DROP TABLE customer_search_merchants;");
        }
    }
}
