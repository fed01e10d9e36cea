using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Platform.Host.Storage.PostgresMigrations
{
    /// <inheritdoc />
    public partial class ClusterRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_runs_merchant_id_store_id_stream_scheduled_for",
                table: "runs");

            migrationBuilder.AddColumn<string>(
                name: "host",
                table: "runs",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.CreateTable(
                name: "data_protection_keys",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    friendly_name = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    xml = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_data_protection_keys", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "job_claims",
                columns: table => new
                {
                    job = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    fire_time = table.Column<long>(type: "bigint", nullable: false),
                    host = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    claimed_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_job_claims", x => new { x.job, x.fire_time });
                });

            // A database from before the unique index may hold two runs of one fire time: the later ones keep their
            // history but lose the fire time, so the index can be built.
            migrationBuilder.Sql(
                "UPDATE runs SET scheduled_for = NULL WHERE scheduled_for IS NOT NULL AND id NOT IN " +
                "(SELECT MIN(id) FROM runs WHERE scheduled_for IS NOT NULL GROUP BY merchant_id, store_id, stream, scheduled_for);");

            migrationBuilder.CreateIndex(
                name: "IX_runs_merchant_id_store_id_stream_scheduled_for",
                table: "runs",
                columns: new[] { "merchant_id", "store_id", "stream", "scheduled_for" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_runs_status",
                table: "runs",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "data_protection_keys");

            migrationBuilder.DropTable(
                name: "job_claims");

            migrationBuilder.DropIndex(
                name: "IX_runs_merchant_id_store_id_stream_scheduled_for",
                table: "runs");

            migrationBuilder.DropIndex(
                name: "IX_runs_status",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "host",
                table: "runs");

            migrationBuilder.CreateIndex(
                name: "IX_runs_merchant_id_store_id_stream_scheduled_for",
                table: "runs",
                columns: new[] { "merchant_id", "store_id", "stream", "scheduled_for" });
        }
    }
}
