using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.PostgresMigrations
{
    /// <inheritdoc />
    public partial class ApiKeyLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "id",
                table: "api_keys",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "label",
                table: "api_keys",
                type: "text",
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<long>(
                name: "revoked_at",
                table: "api_keys",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_id",
                table: "api_keys",
                column: "id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_api_keys_id",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "id",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "label",
                table: "api_keys");

            migrationBuilder.DropColumn(
                name: "revoked_at",
                table: "api_keys");
        }
    }
}
