using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class ServiceHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "business_hours_json",
                table: "stores",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "service_version",
                table: "stores",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "replied_at",
                table: "reviews",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "sentiment",
                table: "reviews",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<double>(
                name: "sentiment",
                table: "messages",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.CreateTable(
                name: "case_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    case_id = table.Column<long>(type: "INTEGER", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    by = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_case_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "cases",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: true),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    channel = table.Column<string>(type: "TEXT", nullable: false),
                    conversation_id = table.Column<string>(type: "TEXT", nullable: true),
                    order_external_id = table.Column<string>(type: "TEXT", nullable: true),
                    review_external_id = table.Column<string>(type: "TEXT", nullable: true),
                    message_external_id = table.Column<string>(type: "TEXT", nullable: true),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    triggers = table.Column<string>(type: "TEXT", nullable: false),
                    complaint_terms = table.Column<string>(type: "TEXT", nullable: true),
                    summary = table.Column<string>(type: "TEXT", nullable: false),
                    opened_at = table.Column<long>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    breach_at = table.Column<long>(type: "INTEGER", nullable: false),
                    first_response_at = table.Column<long>(type: "INTEGER", nullable: true),
                    answered_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true),
                    resolved_by_hand = table.Column<bool>(type: "INTEGER", nullable: false),
                    assignee = table.Column<string>(type: "TEXT", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cases", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "conversations",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    conversation_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: false),
                    order_external_id = table.Column<string>(type: "TEXT", nullable: true),
                    messages = table.Column<int>(type: "INTEGER", nullable: false),
                    first_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_inbound_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_outbound_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conversations", x => new { x.merchant_id, x.store_id, x.conversation_id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_reviews_merchant_id_created_at",
                table: "reviews",
                columns: new[] { "merchant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_messages_merchant_id_store_id_conversation_id_sent_at",
                table: "messages",
                columns: new[] { "merchant_id", "store_id", "conversation_id", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "IX_case_events_merchant_id_case_id",
                table: "case_events",
                columns: new[] { "merchant_id", "case_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_merchant_id_key",
                table: "cases",
                columns: new[] { "merchant_id", "key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_cases_merchant_id_opened_at",
                table: "cases",
                columns: new[] { "merchant_id", "opened_at" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_merchant_id_status_opened_at",
                table: "cases",
                columns: new[] { "merchant_id", "status", "opened_at" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_merchant_id_store_id_buyer_id",
                table: "cases",
                columns: new[] { "merchant_id", "store_id", "buyer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_cases_merchant_id_store_id_conversation_id_opened_at",
                table: "cases",
                columns: new[] { "merchant_id", "store_id", "conversation_id", "opened_at" });

            migrationBuilder.CreateIndex(
                name: "IX_conversations_merchant_id_last_at",
                table: "conversations",
                columns: new[] { "merchant_id", "last_at" });

            migrationBuilder.CreateIndex(
                name: "IX_conversations_merchant_id_store_id_buyer_id",
                table: "conversations",
                columns: new[] { "merchant_id", "store_id", "buyer_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "case_events");

            migrationBuilder.DropTable(
                name: "cases");

            migrationBuilder.DropTable(
                name: "conversations");

            migrationBuilder.DropIndex(
                name: "IX_reviews_merchant_id_created_at",
                table: "reviews");

            migrationBuilder.DropIndex(
                name: "IX_messages_merchant_id_store_id_conversation_id_sent_at",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "business_hours_json",
                table: "stores");

            migrationBuilder.DropColumn(
                name: "service_version",
                table: "stores");

            migrationBuilder.DropColumn(
                name: "replied_at",
                table: "reviews");

            migrationBuilder.DropColumn(
                name: "sentiment",
                table: "reviews");

            migrationBuilder.DropColumn(
                name: "sentiment",
                table: "messages");
        }
    }
}
