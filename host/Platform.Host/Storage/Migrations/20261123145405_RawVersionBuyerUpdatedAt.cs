using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class RawVersionBuyerUpdatedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "last_seen_at",
                table: "buyers",
                newName: "updated_at");

            migrationBuilder.AddColumn<long>(
                name: "version",
                table: "raw_records",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "version",
                table: "raw_records");

            migrationBuilder.RenameColumn(
                name: "updated_at",
                table: "buyers",
                newName: "last_seen_at");
        }
    }
}
