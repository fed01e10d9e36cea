using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "label",
                table: "api_keys",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "revoked_at",
                table: "api_keys",
                type: "INTEGER",
                nullable: true);

            // Keys made before ids existed get one derived from their hash (a hash prefix of a random key reveals nothing).
            migrationBuilder.Sql("UPDATE api_keys SET id = 'key_' || substr(hash, 1, 16) WHERE id IS NULL");

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
