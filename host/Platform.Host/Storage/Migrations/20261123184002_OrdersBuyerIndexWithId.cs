using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class OrdersBuyerIndexWithId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_buyer_covering",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_orders_buyer",
                table: "orders",
                columns: new[] { "merchant_id", "store_id", "buyer_id", "status", "created_at", "currency", "total", "external_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_buyer",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_orders_buyer_covering",
                table: "orders",
                columns: new[] { "merchant_id", "store_id", "buyer_id", "status", "created_at", "currency", "total" });
        }
    }
}
