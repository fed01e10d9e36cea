using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ValueModels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "value_models",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    fitted_at = table.Column<long>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_value_models", x => x.merchant_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "value_models");
        }
    }
}
