using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class CustomerScores : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "customer_scores",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    r = table.Column<int>(type: "INTEGER", nullable: true),
                    f = table.Column<int>(type: "INTEGER", nullable: true),
                    m = table.Column<int>(type: "INTEGER", nullable: true),
                    segment = table.Column<string>(type: "TEXT", nullable: true),
                    current = table.Column<double>(type: "REAL", nullable: false),
                    future = table.Column<double>(type: "REAL", nullable: false),
                    credit = table.Column<double>(type: "REAL", nullable: false),
                    credit_grade = table.Column<string>(type: "TEXT", nullable: false),
                    loyalty = table.Column<double>(type: "REAL", nullable: false),
                    growth = table.Column<double>(type: "REAL", nullable: false),
                    e_value = table.Column<double>(type: "REAL", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: false),
                    key_account = table.Column<bool>(type: "INTEGER", nullable: false),
                    growing = table.Column<bool>(type: "INTEGER", nullable: false),
                    clv = table.Column<long>(type: "INTEGER", nullable: false),
                    p_alive = table.Column<double>(type: "REAL", nullable: true),
                    spend12_months = table.Column<long>(type: "INTEGER", nullable: false),
                    tier = table.Column<string>(type: "TEXT", nullable: false),
                    tier_since = table.Column<long>(type: "INTEGER", nullable: false),
                    tier_below_since = table.Column<long>(type: "INTEGER", nullable: true),
                    inputs_json = table.Column<string>(type: "TEXT", nullable: false),
                    scored_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_scores", x => new { x.merchant_id, x.customer_id });
                });

            migrationBuilder.CreateTable(
                name: "value_distributions",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    computed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_value_distributions", x => x.merchant_id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_customer_scores_merchant_id_clv",
                table: "customer_scores",
                columns: new[] { "merchant_id", "clv" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_scores_merchant_id_score",
                table: "customer_scores",
                columns: new[] { "merchant_id", "score" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_scores_merchant_id_segment",
                table: "customer_scores",
                columns: new[] { "merchant_id", "segment" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_scores_merchant_id_tier",
                table: "customer_scores",
                columns: new[] { "merchant_id", "tier" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "customer_scores");

            migrationBuilder.DropTable(
                name: "value_distributions");
        }
    }
}
