using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class IdentityControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Customer search: one row per customer holding its folded names, emails, phone digits and buyer ids;
            // trigram tokens make partial matches an index lookup. customer_search_rows finds a customer's row.
            if (migrationBuilder.IsSqlite())
            {
                migrationBuilder.Sql("CREATE VIRTUAL TABLE customer_search USING fts5(text, tokenize = 'trigram');");
                migrationBuilder.Sql("CREATE TABLE customer_search_rows (merchant_id TEXT NOT NULL, customer_id TEXT NOT NULL, search_rowid INTEGER NOT NULL, PRIMARY KEY (merchant_id, customer_id)) WITHOUT ROWID;");
                migrationBuilder.Sql("CREATE UNIQUE INDEX ix_customer_search_rows_rowid ON customer_search_rows (search_rowid);");
            }

            migrationBuilder.AddColumn<string>(
                name: "name_key",
                table: "buyers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "postal_code",
                table: "buyers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "split_group",
                table: "buyers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tombstones",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    hash = table.Column<string>(type: "TEXT", nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    erased_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tombstones", x => new { x.merchant_id, x.hash });
                });

            migrationBuilder.CreateIndex(
                name: "IX_customer_keys_merchant_id_customer_id",
                table: "customer_keys",
                columns: new[] { "merchant_id", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_buyers_merchant_id_name_key",
                table: "buyers",
                columns: new[] { "merchant_id", "name_key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            if (migrationBuilder.IsSqlite())
            {
                migrationBuilder.Sql("DROP TABLE customer_search_rows;");
                migrationBuilder.Sql("DROP TABLE customer_search;");
            }

            migrationBuilder.DropTable(
                name: "tombstones");

            migrationBuilder.DropIndex(
                name: "IX_customer_keys_merchant_id_customer_id",
                table: "customer_keys");

            migrationBuilder.DropIndex(
                name: "IX_buyers_merchant_id_name_key",
                table: "buyers");

            migrationBuilder.DropColumn(
                name: "name_key",
                table: "buyers");

            migrationBuilder.DropColumn(
                name: "postal_code",
                table: "buyers");

            migrationBuilder.DropColumn(
                name: "split_group",
                table: "buyers");
        }
    }
}
