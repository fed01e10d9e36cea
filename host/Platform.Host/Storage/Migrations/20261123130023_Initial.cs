using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Platform.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_keys",
                columns: table => new
                {
                    hash = table.Column<string>(type: "TEXT", nullable: false),
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    prefix = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_api_keys", x => x.hash);
                });

            migrationBuilder.CreateTable(
                name: "buyers",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: false),
                    marketplace = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    email_raw = table.Column<string>(type: "TEXT", nullable: true),
                    phone_raw = table.Column<string>(type: "TEXT", nullable: true),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    phone = table.Column<string>(type: "TEXT", nullable: true),
                    country = table.Column<string>(type: "TEXT", nullable: true),
                    city = table.Column<string>(type: "TEXT", nullable: true),
                    customer_id = table.Column<string>(type: "TEXT", nullable: true),
                    first_seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_seen_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_buyers", x => new { x.merchant_id, x.store_id, x.buyer_id });
                });

            migrationBuilder.CreateTable(
                name: "cursors",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    stream = table.Column<string>(type: "TEXT", nullable: false),
                    cursor_json = table.Column<string>(type: "TEXT", nullable: true),
                    since = table.Column<long>(type: "INTEGER", nullable: true),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_cursors", x => new { x.merchant_id, x.store_id, x.stream });
                });

            migrationBuilder.CreateTable(
                name: "customer_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "customer_keys",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", nullable: false),
                    customer_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customer_keys", x => new { x.merchant_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    merged_into = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    phone = table.Column<string>(type: "TEXT", nullable: true),
                    orders = table.Column<int>(type: "INTEGER", nullable: false),
                    revenue = table.Column<long>(type: "INTEGER", nullable: false),
                    unconverted_orders = table.Column<int>(type: "INTEGER", nullable: false),
                    first_order_at = table.Column<long>(type: "INTEGER", nullable: true),
                    last_order_at = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_customers", x => new { x.merchant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "merchants",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_merchants", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", nullable: false),
                    conversation_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: false),
                    direction = table.Column<string>(type: "TEXT", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: false),
                    order_external_id = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messages", x => new { x.merchant_id, x.store_id, x.external_id });
                });

            migrationBuilder.CreateTable(
                name: "order_lines",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    order_external_id = table.Column<string>(type: "TEXT", nullable: false),
                    line_no = table.Column<int>(type: "INTEGER", nullable: false),
                    sku = table.Column<string>(type: "TEXT", nullable: false),
                    title = table.Column<string>(type: "TEXT", nullable: false),
                    quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    unit_price = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_order_lines", x => new { x.merchant_id, x.store_id, x.order_external_id, x.line_no });
                });

            migrationBuilder.CreateTable(
                name: "orders",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    currency = table.Column<string>(type: "TEXT", nullable: false),
                    total = table.Column<long>(type: "INTEGER", nullable: false),
                    shipping_city = table.Column<string>(type: "TEXT", nullable: true),
                    shipping_country = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_orders", x => new { x.merchant_id, x.store_id, x.external_id });
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "raw_records",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    stream = table.Column<string>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", nullable: false),
                    changed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    hash = table.Column<long>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_raw_records", x => new { x.merchant_id, x.store_id, x.stream, x.external_id });
                });

            migrationBuilder.CreateTable(
                name: "reviews",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    external_id = table.Column<string>(type: "TEXT", nullable: false),
                    buyer_id = table.Column<string>(type: "TEXT", nullable: true),
                    order_external_id = table.Column<string>(type: "TEXT", nullable: true),
                    sku = table.Column<string>(type: "TEXT", nullable: true),
                    rating = table.Column<int>(type: "INTEGER", nullable: false),
                    text = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    seller_reply = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_reviews", x => new { x.merchant_id, x.store_id, x.external_id });
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    stream = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", nullable: false),
                    scheduled_for = table.Column<long>(type: "INTEGER", nullable: true),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    pages = table.Column<int>(type: "INTEGER", nullable: false),
                    read = table.Column<int>(type: "INTEGER", nullable: false),
                    inserted = table.Column<int>(type: "INTEGER", nullable: false),
                    updated = table.Column<int>(type: "INTEGER", nullable: false),
                    skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "stores",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    plugin = table.Column<string>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", nullable: false),
                    settings_json = table.Column<string>(type: "TEXT", nullable: false),
                    schedules_json = table.Column<string>(type: "TEXT", nullable: false),
                    since = table.Column<long>(type: "INTEGER", nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stores", x => new { x.merchant_id, x.store_id });
                });

            migrationBuilder.CreateTable(
                name: "tokens",
                columns: table => new
                {
                    merchant_id = table.Column<string>(type: "TEXT", nullable: false),
                    store_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    value = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tokens", x => new { x.merchant_id, x.store_id, x.name });
                });

            migrationBuilder.CreateIndex(
                name: "IX_api_keys_merchant_id",
                table: "api_keys",
                column: "merchant_id");

            migrationBuilder.CreateIndex(
                name: "IX_buyers_merchant_id_customer_id",
                table: "buyers",
                columns: new[] { "merchant_id", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_customer_events_merchant_id_customer_id",
                table: "customer_events",
                columns: new[] { "merchant_id", "customer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_merchant_id_last_order_at",
                table: "customers",
                columns: new[] { "merchant_id", "last_order_at" });

            migrationBuilder.CreateIndex(
                name: "IX_customers_merchant_id_sequence",
                table: "customers",
                columns: new[] { "merchant_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_messages_merchant_id_store_id_buyer_id",
                table: "messages",
                columns: new[] { "merchant_id", "store_id", "buyer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_merchant_id_created_at",
                table: "orders",
                columns: new[] { "merchant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_orders_merchant_id_store_id_buyer_id",
                table: "orders",
                columns: new[] { "merchant_id", "store_id", "buyer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_merchant_id",
                table: "outbox",
                column: "merchant_id");

            migrationBuilder.CreateIndex(
                name: "IX_reviews_merchant_id_store_id_buyer_id",
                table: "reviews",
                columns: new[] { "merchant_id", "store_id", "buyer_id" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_merchant_id_store_id_stream_scheduled_for",
                table: "runs",
                columns: new[] { "merchant_id", "store_id", "stream", "scheduled_for" });

            migrationBuilder.CreateIndex(
                name: "IX_runs_merchant_id_store_id_stream_started_at",
                table: "runs",
                columns: new[] { "merchant_id", "store_id", "stream", "started_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_keys");

            migrationBuilder.DropTable(
                name: "buyers");

            migrationBuilder.DropTable(
                name: "cursors");

            migrationBuilder.DropTable(
                name: "customer_events");

            migrationBuilder.DropTable(
                name: "customer_keys");

            migrationBuilder.DropTable(
                name: "customers");

            migrationBuilder.DropTable(
                name: "merchants");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "order_lines");

            migrationBuilder.DropTable(
                name: "orders");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "raw_records");

            migrationBuilder.DropTable(
                name: "reviews");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "stores");

            migrationBuilder.DropTable(
                name: "tokens");
        }
    }
}
