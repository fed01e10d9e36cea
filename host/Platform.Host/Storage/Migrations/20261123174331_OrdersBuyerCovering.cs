using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class OrdersBuyerCovering : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_merchant_id_store_id_buyer_id",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_orders_buyer_covering",
                table: "orders",
                columns: new[] { "merchant_id", "store_id", "buyer_id", "status", "created_at", "currency", "total" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_orders_buyer_covering",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "IX_orders_merchant_id_store_id_buyer_id",
                table: "orders",
                columns: new[] { "merchant_id", "store_id", "buyer_id" });
        }
    }
}
