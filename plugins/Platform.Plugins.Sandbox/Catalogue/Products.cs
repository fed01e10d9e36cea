using System.Collections.Immutable;

namespace Platform.Plugins.Sandbox.Catalogue;

/// <summary>The fixed catalogue every sandbox store sells from.</summary>
internal static class Products
{
    public static readonly ImmutableArray<Product> All =
    [
        new("SBX-RICE-10KG", "Jasmine Fragrant Rice 10 kg", 24.90m),
        new("SBX-RICE-5KG", "泰国香米 5公斤", 13.50m),
        new("SBX-OIL-1L", "Extra Virgin Olive Oil 1 L", 12.80m),
        new("SBX-SOY-500", "老抽王酱油 500毫升", 3.20m),
        new("SBX-NOODLE-5", "Instant Curry Noodles 5-pack", 4.50m),
        new("SBX-TEA-100", "乌龙茶 100克", 9.90m),
        new("SBX-COFFEE-1KG", "Arabica Coffee Beans 1 kg", 21.00m),
        new("SBX-DIAPER-L", "Baby Diapers L 54 pcs", 18.90m),
        new("SBX-DETERG-3L", "Laundry Detergent 3 L", 11.50m),
        new("SBX-DISH-900", "Dishwashing Liquid 900 ml", 3.90m),
        new("SBX-BRUSH-4", "Bamboo Toothbrush 4-pack", 5.60m),
        new("SBX-CABLE-C1", "USB-C Charging Cable 1 m", 6.90m),
        new("SBX-EARBUDS", "Wireless Earbuds", 39.00m),
        new("SBX-CASE-CLR", "Clear Phone Case", 8.50m),
        new("SBX-STAND", "手机支架", 7.20m),
        new("SBX-POWER-10K", "Power Bank 10000 mAh", 24.00m),
        new("SBX-LAMP-LED", "LED Desk Lamp", 19.90m),
        new("SBX-KETTLE", "Electric Kettle 1.7 L", 29.90m),
        new("SBX-COOKER", "电饭煲 1.8升", 59.00m),
        new("SBX-PAN-28", "Non-stick Frying Pan 28 cm", 22.50m),
        new("SBX-BOTTLE", "Stainless Steel Water Bottle 750 ml", 14.90m),
        new("SBX-TSHIRT-M", "Cotton T-Shirt White M", 9.90m),
        new("SBX-SHOE-42", "Running Shoes EU 42", 55.00m),
        new("SBX-YOGA-6", "Yoga Mat 6 mm", 18.00m),
        new("SBX-MASK-10", "补水面膜 10片", 12.00m),
        new("SBX-SPF50", "Sunscreen SPF50 50 ml", 15.50m),
        new("SBX-SHAMPOO", "Shampoo 750 ml", 8.90m),
        new("SBX-HANDCRM-3", "Hand Cream 3-pack", 7.50m),
        new("SBX-VITC-60", "Vitamin C 1000 mg, 60 tablets", 16.80m),
        new("SBX-NEST-6", "即食燕窝 6瓶", 32.00m),
        new("SBX-MOON-4", "月饼礼盒 4个", 38.00m),
        new("SBX-SHIITAKE", "干香菇 200克", 10.50m),
        new("SBX-KAYA-400", "Kaya Spread 400 g", 5.20m),
        new("SBX-PINETART", "凤梨酥 300克", 13.80m),
        new("SBX-ANGPAO-20", "红包 20个", 3.50m),
        new("SBX-NOTE-A5", "A5 Notebook 3-pack", 6.00m),
        new("SBX-PEN-12", "Ballpoint Pens 12 pcs", 4.20m),
        new("SBX-CATFOOD", "Cat Food Salmon 1.5 kg", 17.90m),
        new("SBX-DOGTOY", "Dog Chew Toy", 6.80m),
        new("SBX-BOX-30L", "Storage Box 30 L", 12.90m),
        new("SBX-UMBRELLA", "折叠雨伞", 11.00m),
        new("SBX-TOWEL-2", "Bath Towel Set 2 pcs", 19.50m),
    ];
}
